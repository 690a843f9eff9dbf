import type { RESTPostAPIChatInputApplicationCommandsJSONBody, SlashCommandStringOption } from "discord.js";
import type { Services } from "../src/services.ts";
import type {
  AnswerPolicy,
  AutocompleteChoice,
  ButtonInvocation,
  CommandInvocation,
  Invocation,
} from "../src/ui/interaction.ts";

/** The services a command declared, and nothing else: what its handlers receive. */
export type Deps<K extends keyof Services> = Pick<Services, K>;

/**
 * One slash command: its definition (sent by `npm run deploy-commands`, and parsed by the
 * playground) kept apart from its behaviour. `uses` names the services its handlers need; the
 * runtime passes exactly those, so the compiler checks every handler against the declaration
 * and tests pass only what a command uses. `answer` tells the runtime how to acknowledge.
 */
export interface SlashCommand<K extends keyof Services = keyof Services> {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  uses: readonly K[];
  /**
   * How the command's answer is acknowledged (see {@link AnswerPolicy}); may depend on the
   * subcommand (`/class start` answers in public, `/class history` privately).
   */
  answer: AnswerPolicy | ((subcommand: string | undefined) => AnswerPolicy);
  execute(deps: Deps<K>, invocation: CommandInvocation): Promise<void>;
  autocomplete?(
    deps: Deps<K>,
    focused: { name: string; value: string },
    invocation: Omit<Invocation, "reply">,
  ): Promise<AutocompleteChoice[]>;
  /**
   * Button handlers owned by this command, keyed by the first segment of the custom id. A route
   * uses the command's services unless it declares its own (see {@link defineButton}).
   */
  buttons?: Record<string, ButtonRoute<K>>;
}

/** Handles buttons whose custom id starts with `${prefix}:`. */
export interface ButtonRoute<K extends keyof Services = keyof Services> {
  /** Services of its own instead of the command's (set by {@link defineButton}). */
  uses?: readonly (keyof Services)[];
  /** How a click is acknowledged; may depend on the id (one prefix, several actions). */
  answer: AnswerPolicy | ((customId: string) => AnswerPolicy);
  press(deps: Deps<K>, invocation: ButtonInvocation): Promise<void>;
}

/** A button route with services of its own, such as a lesson's demos that run the models. */
export interface OwnButtonRoute<B extends keyof Services> extends ButtonRoute<B> {
  uses: readonly B[];
}

/**
 * Declares a button route with its own services, inferred from `uses`; it fits any command's
 * `buttons` because it asks nothing of the command's services.
 */
export function defineButton<const B extends keyof Services>(route: OwnButtonRoute<B>): ButtonRoute<never> {
  return {
    uses: route.uses,
    answer: route.answer,
    // The runtime passes exactly `uses` (see Dispatcher), which is what `press` declared.
    press: (deps, invocation) => route.press(deps as Deps<B>, invocation),
  };
}

/** Declares a command, inferring the services it uses from `uses`. */
export function defineCommand<const K extends keyof Services>(command: SlashCommand<K>): SlashCommand<K> {
  return command;
}

/** Answer policies the commands share. */
export const answers = {
  /** A new message only the member sees, answered at once (database work). */
  privateQuick: { visibility: "ephemeral", speed: "quick" },
  /** A new message everyone sees, answered at once. */
  publicQuick: { visibility: "public", speed: "quick" },
  /** A new message everyone sees after model work or drawing: acknowledged first. */
  publicSlow: { visibility: "public", speed: "slow" },
  /** A new message only the member sees after slow work: acknowledged first. */
  privateSlow: { visibility: "ephemeral", speed: "slow" },
  /** The clicked message is edited in place, at once. */
  updateQuick: { visibility: "update", speed: "quick" },
  /** The clicked message is edited in place after slow work: acknowledged first. */
  updateSlow: { visibility: "update", speed: "slow" },
} as const satisfies Record<string, AnswerPolicy>;

/** The `pair` option of `/compare`, `/nexttoken` and `/template`: autocompleted from the catalogue. */
export function pairOption(option: SlashCommandStringOption): SlashCommandStringOption {
  return option
    .setName("pair")
    .setDescription("Which base/instruct pair to use (default: the server's default pair).")
    .setAutocomplete(true)
    .setMaxLength(100);
}
