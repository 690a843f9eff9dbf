import { discordLimits } from "./discordLimits.ts";

/**
 * The kind of one field in a button id: a whole number, text without `:`, or (last field only)
 * `rest`: text that may hold colons, such as a question id.
 */
export type ButtonFieldKind = "int" | "text" | "rest";

/** The fields of each action, in the order they are written. */
export type ButtonActions = Record<string, Record<string, ButtonFieldKind>>;

/** A decoded button: its action and its fields, typed. */
export type ButtonOf<A extends ButtonActions> = {
  [K in keyof A & string]: { action: K } & { [F in keyof A[K]]: A[K][F] extends "int" ? number : string };
}[keyof A & string];

/**
 * Encodes and decodes button custom ids `prefix:action:field:…`, the one format every command's
 * buttons use. Everything a click needs is in the id, so buttons keep working after a restart.
 * Decoding never throws: an id that does not match (an old or forged button) gives `undefined`,
 * and each feature says in its own words that the button is out of date.
 */
export class ButtonCodec<A extends ButtonActions> {
  constructor(
    /** The first segment; the key in the command's `buttons`. */
    readonly prefix: string,
    private readonly actions: A,
  ) {
    for (const [action, fields] of Object.entries(actions)) {
      const kinds = Object.values(fields);
      if (kinds.slice(0, -1).includes("rest"))
        throw new RangeError(`Button action ${action}: only the last field may be "rest"`);
    }
  }

  encode(button: ButtonOf<A>): string {
    const fields = this.actions[button.action];
    if (!fields) throw new RangeError(`Unknown button action ${button.action}`);
    const names = Object.keys(fields);
    const values = names.map((name) => {
      const value = String((button as Record<string, unknown>)[name]);
      if (fields[name] !== "rest" && value.includes(":"))
        throw new RangeError(`Button field ${name} may not contain ":" (${value})`);
      return value;
    });
    const id = [this.prefix, button.action, ...values].join(":");
    if (id.length > discordLimits.customId)
      throw new RangeError(`Button id longer than ${discordLimits.customId} characters: ${id}`);
    return id;
  }

  decode(customId: string): ButtonOf<A> | undefined {
    const [prefix, action, ...rest] = customId.split(":");
    if (prefix !== this.prefix || action === undefined || !Object.hasOwn(this.actions, action))
      return undefined;
    const fields = this.actions[action] ?? {};
    const names = Object.keys(fields);
    const lastIsRest = names.length > 0 && fields[names[names.length - 1] ?? ""] === "rest";
    if (lastIsRest ? rest.length < names.length : rest.length !== names.length) return undefined;
    const values = lastIsRest
      ? [...rest.slice(0, names.length - 1), rest.slice(names.length - 1).join(":")]
      : rest;
    const decoded: Record<string, unknown> = { action };
    for (const [index, name] of names.entries()) {
      const value = values[index] ?? "";
      if (value === "") return undefined;
      if (fields[name] === "int") {
        if (!/^\d{1,9}$/.test(value)) return undefined;
        decoded[name] = Number(value);
      } else {
        decoded[name] = value;
      }
    }
    return decoded as ButtonOf<A>;
  }
}
