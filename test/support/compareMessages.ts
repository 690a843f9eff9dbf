import { ComponentType } from "discord.js";
import type { APIMessage } from "discord-api-types/v10";
import type { StoredMessage } from "../discord/DiscordDouble.ts";
import { walkComponents } from "../discord/validateMessage.ts";

/** One column of a `/compare` message, as a member reads it. */
export interface ShownSide {
  /** The field name: `Base · tiny-plain`, `Reply A`, `Reply A — Base · …`. */
  name: string;
  /** The reply as shown, without the typing cursor or the "not shown" note. */
  reply: string;
  /** The length of the whole reply so far: shown characters plus those cut for the field limit. */
  replyLength: number;
  /** The line under the reply: `queued · position 1`, `generating…`, the stats, or `⚠️ …`. */
  footer: string;
  /** Whether the typing cursor is shown (the side is generating). */
  generating: boolean;
}

/** Numbers of a finished side, read from its footer: `12 tokens · 80.1 tok/s · first token 5 ms · ended: …`. */
export interface ShownStats {
  tokens: number;
  tokensPerSecond: number;
  firstTokenMs: number;
  ended: string;
}

const fieldPattern = /^```\n([\s\S]*)\n```\n([\s\S]*)$/;
const cutNote = /\n… \[(\d+) more characters not shown\]$/;

function apiMessageOf(message: StoredMessage | APIMessage): APIMessage {
  return "current" in message ? message.current : message;
}

/** The columns of a `/compare` message (current state, or one revision's `message`). */
export function sidesOf(message: StoredMessage | APIMessage): ShownSide[] {
  const fields = apiMessageOf(message).embeds[0]?.fields ?? [];
  return fields.map((field) => {
    const match = fieldPattern.exec(field.value);
    if (!match) throw new Error(`not a /compare column: ${JSON.stringify(field.value)}`);
    let body = match[1] ?? "";
    const generating = body.endsWith("▌");
    if (generating) body = body.slice(0, -1);
    const cut = cutNote.exec(body);
    const reply = cut ? body.slice(0, cut.index) : body.trim() === "" ? "" : body;
    return {
      name: field.name,
      reply,
      replyLength: reply.length + Number(cut?.[1] ?? 0),
      footer: match[2] ?? "",
      generating,
    };
  });
}

/** The column named `name` (exactly, or matching), failing the test when absent. */
export function sideNamed(message: StoredMessage | APIMessage, name: string | RegExp): ShownSide {
  const sides = sidesOf(message);
  const side = sides.find((candidate) =>
    typeof name === "string" ? candidate.name === name : name.test(candidate.name),
  );
  if (!side) throw new Error(`no column ${String(name)}; columns: ${sides.map((s) => s.name).join(", ")}`);
  return side;
}

/** The stats of a finished side; throws when the footer holds none. */
export function statsOf(side: ShownSide): ShownStats {
  const match = /^(\d+) tokens? · ([\d.]+) tok\/s · first token (\d+) ms · ended: (.+)$/.exec(side.footer);
  if (!match) throw new Error(`no stats under ${side.name}: ${JSON.stringify(side.footer)}`);
  return {
    tokens: Number(match[1]),
    tokensPerSecond: Number(match[2]),
    firstTokenMs: Number(match[3]),
    ended: match[4] ?? "",
  };
}

/** Every button on the message with whether it is enabled, by custom id. */
function buttons(
  message: StoredMessage | APIMessage,
): { customId: string; label: string; enabled: boolean }[] {
  return [...walkComponents(apiMessageOf(message).components ?? [])].flatMap(({ component }) =>
    component.type === ComponentType.Button && typeof component.custom_id === "string"
      ? [
          {
            customId: component.custom_id,
            label: String(component.label),
            enabled: component.disabled !== true,
          },
        ]
      : [],
  );
}

/** The run id carried by the message's Show prompts / Re-roll / Stop buttons. */
export function runIdOf(message: StoredMessage | APIMessage): string {
  const stop = buttons(message).find((button) => button.customId.startsWith("compare:stop:"));
  if (!stop) throw new Error("not a /compare message: it has no Stop button");
  return stop.customId.slice("compare:stop:".length);
}

/** True once the run is over: Stop is disabled (and Re-roll enabled). */
export function isFinishedCompare(message: StoredMessage | APIMessage): boolean {
  const stop = buttons(message).find((button) => button.customId.startsWith("compare:stop:"));
  return stop !== undefined && !stop.enabled;
}

/** Labels of the enabled buttons, in order. */
export function enabledButtonLabels(message: StoredMessage | APIMessage): string[] {
  return buttons(message)
    .filter((button) => button.enabled)
    .map((button) => button.label);
}

/** The seed in the footer (`temperature 0 · top-p 0.95 · seed 42 · …`). */
export function seedOf(message: StoredMessage | APIMessage): number {
  const footer = apiMessageOf(message).embeds[0]?.footer?.text ?? "";
  const match = / · seed (\d+) · /.exec(footer);
  if (!match) throw new Error(`no seed in the footer: ${footer}`);
  return Number(match[1]);
}
