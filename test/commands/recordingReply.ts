import { expect } from "vitest";
import type {
  Actor,
  ButtonInvocation,
  CommandInvocation,
  CommandOptions,
  EditableMessage,
  Reply,
} from "../../src/ui/interaction.ts";
import type { View } from "../../src/ui/view.ts";

export interface RecordedReply {
  method: "send" | "update" | "defer" | "sendEditable";
  view?: View;
}

/** A Reply that remembers what a handler answered, in order. */
export class RecordingReply implements Reply {
  readonly replies: RecordedReply[] = [];

  async send(view: View): Promise<void> {
    this.replies.push({ method: "send", view });
  }

  async update(view: View): Promise<void> {
    this.replies.push({ method: "update", view });
  }

  async defer(): Promise<void> {
    this.replies.push({ method: "defer" });
  }

  async sendEditable(view: View): Promise<EditableMessage> {
    this.replies.push({ method: "sendEditable", view });
    return { edit: async (edited) => void this.replies.push({ method: "sendEditable", view: edited }) };
  }

  /** The only reply besides an acknowledgement (defer), checking it was made with `method`. */
  only(method: RecordedReply["method"]): View {
    const answers = this.replies.filter((reply) => reply.method !== "defer");
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
