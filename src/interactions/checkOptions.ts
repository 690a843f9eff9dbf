import {
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { truncate } from "../text/truncate.ts";

/** A value a slash command option can carry once checked. Ids (user, channel…) are strings. */
export type OptionValue = string | number | boolean;

export type OptionProblemKind =
  | "missing"
  | "unknown"
  | "wrong-type"
  | "not-finite"
  | "out-of-range"
  | "not-a-choice"
  | "too-long"
  | "too-short"
  | "unsupported";

/** One thing wrong with one option, phrased for the member who sent it. */
export interface OptionProblem {
  /** The option's name as the member sees it. */
  option: string;
  kind: OptionProblemKind;
  /** E.g. `temperature must be a number from 0 to 2; you sent "hot".` */
  message: string;
}

export type CheckedOptions =
  | { ok: true; values: Record<string, OptionValue> }
  | { ok: false; problems: OptionProblem[] };

/** How much of a rejected value is echoed back. */
const ECHO_LENGTH = 40;
const SNOWFLAKE = /^\d{15,21}$/;

function shown(value: unknown): string {
  if (typeof value === "string") return `"${truncate(value, ECHO_LENGTH)}"`;
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (value === undefined) return "nothing";
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return json === undefined ? `a ${typeof value}` : truncate(json, ECHO_LENGTH);
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return ` from ${min} to ${max}`;
  if (min !== undefined) return ` of at least ${min}`;
  if (max !== undefined) return ` of at most ${max}`;
  return "";
}

function checkOne(
  option: APIApplicationCommandOption,
  value: unknown,
  resolved: ResolvedEntities,
): OptionValue | OptionProblem {
  const name = option.name;
  const problem = (kind: OptionProblemKind, message: string): OptionProblem => ({
    option: name,
    kind,
    message,
  });
  switch (option.type) {
    case ApplicationCommandOptionType.Number:
    case ApplicationCommandOptionType.Integer: {
      const integer = option.type === ApplicationCommandOptionType.Integer;
      const choices = option.choices;
      if (choices && choices.length > 0) {
        const match = choices.find((choice) => choice.value === value);
        if (match) return match.value;
        const listed = choices.map((choice) => String(choice.value)).join(", ");
        return problem("not-a-choice", `${name} must be one of ${listed}; you sent ${shown(value)}.`);
      }
      const min = "min_value" in option ? option.min_value : undefined;
      const max = "max_value" in option ? option.max_value : undefined;
      const expected = `${name} must be ${integer ? "a whole number" : "a number"}${rangeText(min, max)}; you sent ${shown(value)}.`;
      if (typeof value !== "number") return problem("wrong-type", expected);
      if (!Number.isFinite(value)) return problem("not-finite", expected);
      if (integer && !Number.isInteger(value)) return problem("wrong-type", expected);
      if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        return problem("out-of-range", expected);
      }
      return value;
    }
    case ApplicationCommandOptionType.String: {
      if (typeof value !== "string")
        return problem("wrong-type", `${name} must be text; you sent ${shown(value)}.`);
      const choices = option.choices;
      if (choices && choices.length > 0) {
        if (choices.some((choice) => choice.value === value)) return value;
        const listed = choices.map((choice) => `"${choice.value}"`).join(", ");
        return problem("not-a-choice", `${name} must be one of ${listed}; you sent ${shown(value)}.`);
      }
      // Discord counts characters; a code point is the closest measure of one.
      const length = [...value].length;
      const maxLength = "max_length" in option ? option.max_length : undefined;
      const minLength = "min_length" in option ? option.min_length : undefined;
      if (maxLength !== undefined && length > maxLength) {
        return problem(
          "too-long",
          `${name} can be at most ${maxLength} characters long; you sent ${length}.`,
        );
      }
      if (minLength !== undefined && length < minLength) {
        return problem(
          "too-short",
          `${name} must be at least ${minLength} characters long; you sent ${length}.`,
        );
      }
      return value;
    }
    case ApplicationCommandOptionType.Boolean:
      return typeof value === "boolean"
        ? value
        : problem("wrong-type", `${name} must be true or false; you sent ${shown(value)}.`);
    case ApplicationCommandOptionType.User:
      // A member the platform resolved (Discord sends them with the interaction) is the real test;
      // without that list, an id must at least look like one.
      return typeof value === "string" && (resolved.users ? resolved.users.has(value) : SNOWFLAKE.test(value))
        ? value
        : problem(
            "wrong-type",
            `${name} must be picked from the list Discord offers; you sent ${shown(value)}.`,
          );
    case ApplicationCommandOptionType.Channel:
    case ApplicationCommandOptionType.Role:
    case ApplicationCommandOptionType.Mentionable:
    case ApplicationCommandOptionType.Attachment:
      return typeof value === "string" && SNOWFLAKE.test(value)
        ? value
        : problem(
            "wrong-type",
            `${name} must be picked from the list Discord offers; you sent ${shown(value)}.`,
          );
    default:
      return problem("unsupported", `${name} is a group of subcommands, which this check does not handle.`);
  }
}

/** What the platform resolved alongside the values (Discord's `resolved`), when it says. */
export interface ResolvedEntities {
  /** Ids of the members that user options name. */
  users?: ReadonlySet<string>;
}

/**
 * Checks the raw option values of one slash command invocation against the command's JSON
 * definition (the `data` of `commands/*.ts`): types (text, number, whole number, true/false, ids),
 * finiteness, `min_value`/`max_value`, declared choices, `min_length`/`max_length`, required
 * options, and options the command does not have. Returns the typed values, or every problem,
 * each phrased for the member. An option sent as `undefined` or `null` counts as not sent.
 * Pure: no Discord client, no side effects. Top-level options only (no subcommands).
 */
export function checkOptions(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
  received: Readonly<Record<string, unknown>>,
  resolved: ResolvedEntities = {},
): CheckedOptions {
  const declared = definition.options ?? [];
  const problems: OptionProblem[] = [];
  const values: Record<string, OptionValue> = {};
  const known = new Set(declared.map((option) => option.name));
  for (const name of Object.keys(received)) {
    if (!known.has(name)) {
      problems.push({
        option: name,
        kind: "unknown",
        message: `/${definition.name} has no option named ${shown(name)}.`,
      });
    }
  }
  for (const option of declared) {
    const value = Object.hasOwn(received, option.name) ? received[option.name] : undefined;
    if (value === undefined || value === null) {
      if ("required" in option && option.required) {
        problems.push({ option: option.name, kind: "missing", message: `${option.name} is required.` });
      }
      continue;
    }
    const checked = checkOne(option, value, resolved);
    if (typeof checked === "object") problems.push(checked);
    else values[option.name] = checked;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}
