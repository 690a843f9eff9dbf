import {
  type APIApplicationCommandBasicOption,
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { UserError } from "../errors.ts";
import type { Actor, CommandOptions } from "../ui/interaction.ts";

export interface ParsedCommandLine {
  commandName: string;
  options: CommandOptions;
}

type OptionValue = string | number | boolean | Actor;

/** Splits `/name key:value key2:long value` on the command's own option names, so values may hold spaces. */
function splitOptions(rest: string, names: string[]): Map<string, string> {
  const found = new Map<string, string>();
  if (rest.trim() === "") return found;
  const pattern = new RegExp(`(?:^|\\s)(${names.map((n) => n.replace(/[-]/g, "\\-")).join("|")}):`, "g");
  const starts = [...rest.matchAll(pattern)];
  if (starts.length === 0 || rest.slice(0, starts[0]?.index ?? 0).trim() !== "") {
    const stray = rest.trim().split(/\s+/)[0] ?? "";
    throw new UserError(
      names.length === 0
        ? "This command takes no options."
        : `I couldn't read \`${stray}\`. Write options as name:value, for example ${names[0]}:…  (options: ${names.join(", ")})`,
    );
  }
  starts.forEach((match, index) => {
    const name = match[1] ?? "";
    const valueStart = (match.index ?? 0) + match[0].length;
    const valueEnd = starts[index + 1]?.index ?? rest.length;
    let value = rest.slice(valueStart, valueEnd).trim();
    if (value.length >= 2 && /^(["']).*\1$/s.test(value)) value = value.slice(1, -1);
    if (found.has(name)) throw new UserError(`The option ${name} was given twice.`);
    found.set(name, value);
  });
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
      return { id: `playground-${name.toLowerCase()}`, displayName: name };
    }
    default:
      throw fail("is not supported in the playground");
  }
}

/**
 * Parses a playground line such as `/quiz lesson:base-models questions:3` against the same
 * command definitions that are deployed to Discord, checking types, ranges and choices the way
 * Discord's client does before a command reaches the bot.
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
  const declared = (definition.options ?? []) as APIApplicationCommandBasicOption[];
  const raw = splitOptions(
    match[2] ?? "",
    declared.map((option) => option.name),
  );
  const values = new Map<string, OptionValue>();
  for (const option of declared) {
    const text = raw.get(option.name);
    if (text === undefined) {
      if (option.required) throw new UserError(`/${commandName} needs the option ${option.name}:…`);
      continue;
    }
    values.set(option.name, convert(option, text));
  }
  const typed = <T extends OptionValue>(
    name: string,
    check: (value: OptionValue) => value is T,
  ): T | null => {
    const value = values.get(name);
    return value !== undefined && check(value) ? value : null;
  };
  return {
    commandName,
    options: {
      getString: (name) => typed(name, (v): v is string => typeof v === "string"),
      getInteger: (name) => typed(name, (v): v is number => typeof v === "number" && Number.isInteger(v)),
      getNumber: (name) => typed(name, (v): v is number => typeof v === "number"),
      getBoolean: (name) => typed(name, (v): v is boolean => typeof v === "boolean"),
      getUser: (name) => typed(name, (v): v is Actor => typeof v === "object"),
    },
  };
}
