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
}

/**
 * How a handler answers. One place (the adapter) decides whether that means Discord's reply,
 * editReply or followUp, so handlers never track acknowledgement state themselves.
 */
export interface Reply {
  /** First answer to the interaction, or a follow-up message if it was already answered. */
  send(view: View): Promise<void>;
  /**
   * Replaces the message in place: for a button, the message the button is on; for a command,
   * its original reply.
   */
  update(view: View): Promise<void>;
  /** Acknowledges now so slow work can answer later through send/update. */
  defer(options?: { ephemeral?: boolean }): Promise<void>;
  /** Posts a new message that can be edited later (for streaming output). */
  sendEditable(view: View): Promise<EditableMessage>;
}

/** A message that can be edited after the interaction was answered (streaming replies). */
export interface EditableMessage {
  /** The platform's message id, when known (for edits after the interaction token expires). */
  id?: string;
  edit(view: View): Promise<void>;
}

/**
 * Edits a message the bot posted earlier using the bot's own credentials rather than an
 * interaction token (which lives 15 minutes), e.g. to reveal a vote after a restart.
 */
export interface ChannelMessages {
  edit(channelId: string, messageId: string, view: View): Promise<void>;
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
}

export interface CommandInvocation extends Invocation {
  commandName: string;
  options: CommandOptions;
}

export interface ButtonInvocation extends Invocation {
  /** The full custom id of the clicked button. */
  customId: string;
  /** Id of the message the button is on. */
  messageId: string;
}

export interface AutocompleteChoice {
  name: string;
  value: string;
}
