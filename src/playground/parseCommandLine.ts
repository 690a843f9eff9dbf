import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { UserError } from "../errors.ts";
import type { Actor, RawOptions } from "../ui/interaction.ts";
import { playgroundMember } from "./playgroundMember.ts";

/** A typed command line as a platform hands it to the runtime: raw values, members by id. */
export interface ParsedCommandLine {
  commandName: string;
  /** The subcommand typed (`start` in `/class start`), for a command that has subcommands. */
  subcommand?: string;
  /** The options of the command, or of its subcommand. */
  options: RawOptions;
  members: Record<string, Actor>;
}

type OptionValue = string | number | boolean | Actor;

/**
 * Reads a quoted value starting at `start` (the opening quote). Inside, a backslash escapes the
 * quote character or another backslash; any other backslash is kept as written.
 */
function readQuoted(rest: string, start: number, optionName: string): { value: string; end: number } {
  const quote = rest[start];
  let value = "";
  let index = start + 1;
  while (index < rest.length) {
    const char = rest[index];
    const next = rest[index + 1];
    if (char === "\\" && (next === quote || next === "\\")) {
      value += next;
      index += 2;
    } else if (char === quote) {
      const after = rest[index + 1];
      if (after !== undefined && !/\s/.test(after)) {
        throw new UserError(
          `The value of ${optionName} goes on after its closing quote. Put a space before the next option.`,
        );
      }
      return { value, end: index + 1 };
    } else {
      value += char;
      index += 1;
    }
  }
  throw new UserError(`The value of ${optionName} opens a quote that is never closed.`);
}

/**
 * Splits `key:value key2:long value` on the command's own option names, so unquoted values may
 * hold spaces and colons. A value in quotes (`"…"` or `'…'`) is one value, whatever it contains,
 * including text that looks like another option (`prompt:"temperature:2"`).
 */
function splitOptions(rest: string, names: string[]): Map<string, string> {
  const found = new Map<string, string>();
  const optionAt = (index: number): string | undefined =>
    names.find((name) => rest.startsWith(`${name}:`, index));
  const isBoundary = (index: number) => index === 0 || /\s/.test(rest[index - 1] ?? "");
  let index = rest.search(/\S/);
  if (index === -1) return found;
  while (index < rest.length) {
    const name = optionAt(index);
    if (name === undefined) {
      const stray = rest.slice(index).split(/\s+/)[0] ?? "";
      throw new UserError(
        names.length === 0
          ? "This command takes no options."
          : `I couldn't read \`${stray}\`. Write options as name:value, for example ${names[0]}:…  (options: ${names.join(", ")})`,
      );
    }
    if (found.has(name)) throw new UserError(`The option ${name} was given twice.`);
    const valueStart = index + name.length + 1;
    let valueEnd: number;
    const first = rest[valueStart];
    if (first === '"' || first === "'") {
      const quoted = readQuoted(rest, valueStart, name);
      found.set(name, quoted.value);
      valueEnd = quoted.end;
    } else {
      valueEnd = valueStart;
      while (valueEnd < rest.length && !(isBoundary(valueEnd) && optionAt(valueEnd) !== undefined)) {
        valueEnd += 1;
      }
      found.set(name, rest.slice(valueStart, valueEnd).trim());
    }
    const next = rest.slice(valueEnd).search(/\S/);
    if (next === -1) break;
    index = valueEnd + next;
  }
  return found;
}

function convert(option: APIApplicationCommandBasicOption, raw: string): OptionValue {
  const fail = (why: string) => new UserError(`The option ${option.name} ${why}.`);
  switch (option.type) {
    case ApplicationCommandOptionType.String: {
      if (raw === "") throw fail("can't be empty");
      if (option.min_length !== undefined && raw.length < option.min_length)
        throw fail(`needs at least ${option.min_length} characters`);
      if (option.max_length !== undefined && raw.length > option.max_length)
        throw fail(`takes at most ${option.max_length} characters`);
      if (option.choices && option.choices.length > 0) {
        const choice = option.choices.find(
          (c) => c.value === raw || c.name.toLowerCase() === raw.toLowerCase(),
        );
        if (!choice) throw fail(`must be one of: ${option.choices.map((c) => c.value).join(", ")}`);
        return choice.value;
      }
      return raw;
    }
    case ApplicationCommandOptionType.Integer:
    case ApplicationCommandOptionType.Number: {
      const isInteger = option.type === ApplicationCommandOptionType.Integer;
      const value = Number(raw);
      if (raw === "" || !Number.isFinite(value) || (isInteger && !Number.isInteger(value)))
        throw fail(isInteger ? "must be a whole number" : "must be a number");
      if (option.min_value !== undefined && value < option.min_value)
        throw fail(`must be at least ${option.min_value}`);
      if (option.max_value !== undefined && value > option.max_value)
        throw fail(`must be at most ${option.max_value}`);
      return value;
    }
    case ApplicationCommandOptionType.Boolean: {
      const lowered = raw.toLowerCase();
      if (["true", "yes", "1", "on"].includes(lowered)) return true;
      if (["false", "no", "0", "off"].includes(lowered)) return false;
      throw fail("must be true or false");
    }
    case ApplicationCommandOptionType.User: {
      const name = raw.replace(/^@/, "");
      if (name === "") throw fail("needs a member name");
      return playgroundMember(name);
    }
    default:
      throw fail("is not supported in the playground");
  }
}

/** The subcommands a command declares (`start`, `end` of `/class`); empty for most commands. */
export function subcommandsOf(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
): APIApplicationCommandSubcommandOption[] {
  return (definition.options ?? []).filter(
    (option): option is APIApplicationCommandSubcommandOption =>
      option.type === ApplicationCommandOptionType.Subcommand,
  );
}

/**
 * Reads the subcommand word at the start of `rest` for a command that has subcommands:
 * `start lesson:x` → `start` and its options. Undefined when the command has none.
 */
function readSubcommand(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
  rest: string,
): { subcommand: APIApplicationCommandSubcommandOption; rest: string } | undefined {
  if (
    (definition.options ?? []).some((option) => option.type === ApplicationCommandOptionType.SubcommandGroup)
  )
    throw new UserError(`/${definition.name} has subcommand groups, which the playground can't type yet.`);
  const subcommands = subcommandsOf(definition);
  if (subcommands.length === 0) return undefined;
  const names = subcommands.map((option) => option.name);
  const match = /^\s*(\S*)\s*(.*)$/s.exec(rest);
  const word = (match?.[1] ?? "").toLowerCase();
  const subcommand = subcommands.find((option) => option.name === word);
  if (!subcommand) {
    const example = `/${definition.name} ${names[0]}`;
    throw new UserError(
      word === ""
        ? `/${definition.name} needs a subcommand first: ${names.join(", ")} (like ${example}).`
        : `/${definition.name} has no subcommand ${word.slice(0, 40)}; it has ${names.join(", ")} (like ${example}).`,
    );
  }
  return { subcommand, rest: match?.[2] ?? "" };
}

/**
 * Parses a playground line such as `/quiz lesson:base-models questions:3` (or, for a command
 * with subcommands, `/class start lesson:base-models`) against the same command definitions that
 * are deployed to Discord, checking types, ranges and choices the way Discord's client does
 * before a command reaches the bot.
 */
export function parseCommandLine(
  line: string,
  commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): ParsedCommandLine {
  const match = /^\/(\S+)\s*(.*)$/s.exec(line.trim());
  if (!match) throw new UserError("Commands start with a slash, like /lesson. Type help to list them.");
  const commandName = (match[1] ?? "").toLowerCase();
  const definition = commands.find((command) => command.name === commandName);
  if (!definition) {
    throw new UserError(
      `There is no /${commandName}. Commands: ${commands.map((command) => `/${command.name}`).join(", ")}`,
    );
  }
  const sub = readSubcommand(definition, match[2] ?? "");
  const fullName = sub ? `${commandName} ${sub.subcommand.name}` : commandName;
  const declared = ((sub ? sub.subcommand.options : definition.options) ??
    []) as APIApplicationCommandBasicOption[];
  const raw = splitOptions(
    sub ? sub.rest : (match[2] ?? ""),
    declared.map((option) => option.name),
  );
  const values = new Map<string, OptionValue>();
  for (const option of declared) {
    const text = raw.get(option.name);
    if (text === undefined) {
      if (option.required) throw new UserError(`/${fullName} needs the option ${option.name}:…`);
      continue;
    }
    values.set(option.name, convert(option, text));
  }
  const options: Record<string, unknown> = {};
  const members: Record<string, Actor> = {};
  for (const [name, value] of values) {
    // A member is passed by id, as Discord passes it, with the member beside it.
    if (typeof value === "object") {
      members[value.id] = value;
      options[name] = value.id;
    } else {
      options[name] = value;
    }
  }
  return { commandName, ...(sub ? { subcommand: sub.subcommand.name } : {}), options, members };
}
