import type { View } from "./view.ts";

/** Who triggered an interaction. */
export interface Actor {
  id: string;
  displayName: string;
}

/** Typed access to a slash command's options, the same in Discord and in the playground. */
export interface CommandOptions {
  getString(name: string): string | null;
  getInteger(name: string): number | null;
  getNumber(name: string): number | null;
  getBoolean(name: string): boolean | null;
  getUser(name: string): Actor | null;
  /** The subcommand invoked (`start` in `/class start`), or null for a command without any. */
  getSubcommand(): string | null;
}

/** Where a message the bot posted lives, so it can be edited later. */
export interface MessageAddress {
  channelId: string;
  messageId: string;
}

/**
 * How an interaction is answered, declared by the command or button (never decided by a feature).
 * The runtime acknowledges accordingly: a `slow` handler is acknowledged before it runs; a `quick`
 * one is acknowledged on its behalf if it has not answered in time, with the declared visibility,
 * so a reply meant to be public never ends up ephemeral.
 */
export interface AnswerPolicy {
  /**
   * `public`: a new message everyone sees; `ephemeral`: a new message only the member sees;
   * `update`: the message the button is on is edited (buttons only).
   */
  visibility: "public" | "ephemeral" | "update";
  /** `slow`: model work or drawing; acknowledged at once. `quick`: answers within a second or so. */
  speed: "quick" | "slow";
}

/**
 * How a handler answers. The platform decides whether that means Discord's reply, editReply or
 * followUp, so handlers never track acknowledgement state themselves.
 */
export interface Reply {
  /**
   * The answer: the first call fills the interaction's own response (ephemeral when
   * `view.ephemeral`); later calls post follow-up messages.
   */
  send(view: View): Promise<void>;
  /**
   * Replaces the message in place: for a button, the message the button is on; for a command,
   * its original reply.
   */
  update(view: View): Promise<void>;
  /**
   * Like {@link send}, and returns where the message landed so it can be edited later through
   * the LiveMessages service (streamed replies, vote reveals). Costs Discord one more request.
   */
  post(view: View): Promise<MessageAddress>;
}

/**
 * The platform's side of one interaction, driven by the runtime (the Dispatcher), not by
 * handlers: acknowledging, answering and reporting failures.
 */
export interface Responder extends Reply {
  /** Acknowledges now with the declared visibility, unless already acknowledged. */
  acknowledge(policy: AnswerPolicy): Promise<void>;
  /** True once the platform has been told about this interaction (answered or acknowledged). */
  readonly acknowledged: boolean;
  /**
   * Tells the member something went wrong, only to them. If a public answer was pending (a
   * deferred "thinking…"), it is removed so the failure never lands in the channel.
   */
  fail(view: View): Promise<void>;
}

/**
 * Edits a message the bot posted earlier: through the interaction while its token lives (15
 * minutes), then with the bot's own credentials. Each platform provides one.
 */
export interface MessageEditor {
  edit(address: MessageAddress, view: View): Promise<void>;
}

/** What every handler receives about the interaction, besides the services it uses. */
export interface Invocation {
  actor: Actor;
  /** Guild the interaction came from; the playground uses its own fixed id. */
  guildId: string;
  channelId: string;
  reply: Reply;
  /** When the interaction arrived. */
  receivedAt: Date;
  /**
   * The member has Manage Server in this guild, as the platform reports it. Absent means no: a
   * feature grants nothing on it unless the platform said so.
   */
  canManageServer?: boolean;
}

export interface CommandInvocation extends Invocation {
  commandName: string;
  options: CommandOptions;
}

/** A button press, or a pick in a menu (which carries the picked values). */
export interface ButtonInvocation extends Invocation {
  /** The full custom id of the clicked button or menu. */
  customId: string;
  /** The values picked in a menu; empty for a button. */
  values: readonly string[];
  /** Id of the message the button is on. */
  messageId: string;
}

/** Raw option values as they arrived (name → value), checked by the runtime against the command. */
export type RawOptions = Readonly<Record<string, unknown>>;

/** What a platform hands the runtime for a slash command. */
export interface IncomingCommand extends Omit<CommandInvocation, "reply" | "options"> {
  /** The subcommand invoked, when the command has subcommands; `options` are its options. */
  subcommand?: string;
  options: RawOptions;
  /** Members resolved by the platform for user options, by id. */
  members?: Readonly<Record<string, Actor>>;
  responder: Responder;
}

/** What a platform hands the runtime for a button click. */
export interface IncomingButton extends Omit<ButtonInvocation, "reply"> {
  responder: Responder;
}

export interface AutocompleteChoice {
  name: string;
  value: string;
}
