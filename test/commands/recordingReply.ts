import { expect } from "vitest";
import type {
  Actor,
  AnswerPolicy,
  ButtonInvocation,
  CommandInvocation,
  CommandOptions,
  IncomingButton,
  IncomingCommand,
  MessageAddress,
  Responder,
} from "../../src/ui/interaction.ts";
import type { View } from "../../src/ui/view.ts";

export interface RecordedReply {
  method: "send" | "update" | "post" | "acknowledge" | "fail";
  view?: View;
  /** How it was acknowledged (for `acknowledge`). */
  policy?: AnswerPolicy;
}

/** A Responder (and so a Reply) that remembers what a handler and the runtime answered, in order. */
export class RecordingReply implements Responder {
  readonly replies: RecordedReply[] = [];
  acknowledged = false;

  async send(view: View): Promise<void> {
    this.acknowledged = true;
    this.replies.push({ method: "send", view });
  }

  async update(view: View): Promise<void> {
    this.acknowledged = true;
    this.replies.push({ method: "update", view });
  }

  async post(view: View): Promise<MessageAddress> {
    this.acknowledged = true;
    this.replies.push({ method: "post", view });
    return { channelId: "800000000000000001", messageId: `60000000000000000${this.replies.length}` };
  }

  async acknowledge(policy: AnswerPolicy): Promise<void> {
    if (this.acknowledged) return;
    this.acknowledged = true;
    this.replies.push({ method: "acknowledge", policy });
  }

  /** The policies the interaction was acknowledged with (at most one). */
  get acknowledgements(): AnswerPolicy[] {
    return this.replies.flatMap((reply) => (reply.policy ? [reply.policy] : []));
  }

  async fail(view: View): Promise<void> {
    this.acknowledged = true;
    this.replies.push({ method: "fail", view });
  }

  /** The only answer besides an acknowledgement, checking it was made with `method`. */
  only(method: RecordedReply["method"]): View {
    const answers = this.replies.filter((reply) => reply.method !== "acknowledge");
    expect(answers.map((reply) => reply.method)).toEqual([method]);
    const view = answers[0]?.view;
    if (!view) throw new Error("the reply had no view");
    return view;
  }
}

export const alice: Actor = { id: "100000000000000001", displayName: "Alice" };
export const bob: Actor = { id: "100000000000000002", displayName: "Bob" };
export const guildId = "900000000000000001";

type OptionValue = string | number | boolean | Actor;

function optionsFrom(values: Record<string, OptionValue>): CommandOptions {
  const read = <T>(name: string, check: (value: unknown) => value is T): T | null => {
    const value = values[name];
    return check(value) ? value : null;
  };
  const isString = (value: unknown): value is string => typeof value === "string";
  const isNumber = (value: unknown): value is number => typeof value === "number";
  const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
  const isActor = (value: unknown): value is Actor => typeof value === "object" && value !== null;
  return {
    getString: (name) => read(name, isString),
    getInteger: (name) => read(name, isNumber),
    getNumber: (name) => read(name, isNumber),
    getBoolean: (name) => read(name, isBoolean),
    getUser: (name) => read(name, isActor),
    getSubcommand: () => null,
  };
}

export function commandInvocation(
  commandName: string,
  options: Record<string, OptionValue> = {},
  actor: Actor = alice,
): CommandInvocation & { reply: RecordingReply } {
  return {
    commandName,
    options: optionsFrom(options),
    actor,
    guildId,
    channelId: "800000000000000001",
    reply: new RecordingReply(),
    receivedAt: new Date(),
  };
}

export function buttonInvocation(
  customId: string,
  actor: Actor = alice,
): ButtonInvocation & { reply: RecordingReply } {
  return {
    customId,
    values: [],
    messageId: "700000000000000001",
    actor,
    guildId,
    channelId: "800000000000000001",
    reply: new RecordingReply(),
    receivedAt: new Date(),
  };
}

/** Every button of a view, row by row. */
export function buttonsOf(view: View) {
  return (view.buttons ?? []).flat();
}

/** Discord rejects ids over 100 characters and duplicate ids within one message. */
export function expectValidButtonIds(view: View): void {
  const ids = buttonsOf(view).map((button) => button.id);
  for (const id of ids) expect(id.length).toBeLessThanOrEqual(100);
  expect(new Set(ids).size).toBe(ids.length);
}

/** The button with `label`; fails the test when there is none. */
export function buttonLabelled(view: View, label: string) {
  const button = buttonsOf(view).find((candidate) => candidate.label === label);
  if (!button) throw new Error(`no button labelled ${label} in ${JSON.stringify(view.buttons)}`);
  return button;
}

/** A slash command as a platform hands it to the runtime (raw option values). */
export function incomingCommand(
  commandName: string,
  options: Record<string, unknown> = {},
  actor: Actor = alice,
): IncomingCommand & { responder: RecordingReply } {
  return {
    commandName,
    options,
    actor,
    guildId,
    channelId: "800000000000000001",
    responder: new RecordingReply(),
    receivedAt: new Date(),
  };
}

/** A button click as a platform hands it to the runtime. */
export function incomingButton(
  customId: string,
  actor: Actor = alice,
  values: readonly string[] = [],
): IncomingButton & { responder: RecordingReply } {
  const { reply, ...rest } = buttonInvocation(customId, actor);
  return { ...rest, values, responder: reply };
}
