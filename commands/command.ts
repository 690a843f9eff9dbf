import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { Services } from "../src/services.ts";
import type {
  AutocompleteChoice,
  ButtonInvocation,
  CommandInvocation,
  Invocation,
} from "../src/ui/interaction.ts";

/**
 * One slash command: its definition (sent by `npm run deploy-commands`, and parsed by the
 * playground) kept apart from its behaviour. `execute` may declare a narrower services type
 * (for example `Pick<Services, "content">`); the router passes the whole set.
 */
export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(services: Services, invocation: CommandInvocation): Promise<void>;
  autocomplete?(
    services: Services,
    focused: { name: string; value: string },
    invocation: Omit<Invocation, "reply">,
  ): Promise<AutocompleteChoice[]>;
  /** Button handlers owned by this command, keyed by the first segment of the custom id. */
  buttons?: Record<string, ButtonHandler>;
}

/** Handles a button whose custom id starts with `${prefix}:`. */
export type ButtonHandler = (services: Services, invocation: ButtonInvocation) => Promise<void>;
