import {
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { UserError } from "../errors.ts";
import type { Actor, CommandOptions, RawOptions } from "../ui/interaction.ts";
import { checkOptions, type OptionValue } from "./checkOptions.ts";

/**
 * Turns the raw option values of a command into typed getters, after checking each one against
 * the command's own definition (type, range, choices, length, required). Discord's client usually
 * checks these, but a payload can say anything, so nothing reaches a feature unchecked; every
 * problem is told to the member at once. For a command with subcommands, `subcommand` names the
 * one invoked and `raw` holds its options.
 */
export function readOptions(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
  raw: RawOptions,
  members: Readonly<Record<string, Actor>>,
  subcommand?: string,
): CommandOptions {
  const leaf = leafDefinition(definition, subcommand);
  const checked = checkOptions(leaf, raw, { users: new Set(Object.keys(members)) });
  if (!checked.ok) throw new UserError(checked.problems.map((problem) => problem.message).join("\n"));
  const { values } = checked;
  const read = <T extends OptionValue>(name: string, check: (value: OptionValue) => value is T): T | null => {
    const value = values[name];
    return value !== undefined && check(value) ? value : null;
  };
  const isString = (value: OptionValue): value is string => typeof value === "string";
  const isNumber = (value: OptionValue): value is number => typeof value === "number";
  return {
    getString: (name) => read(name, isString),
    getInteger: (name) => read(name, isNumber),
    getNumber: (name) => read(name, isNumber),
    getBoolean: (name) => read(name, (value): value is boolean => typeof value === "boolean"),
    getUser: (name) => {
      const id = read(name, isString);
      // Checked above to be one of `members`.
      return id === null ? null : (members[id] ?? null);
    },
    getSubcommand: () => (leaf === definition ? null : (subcommand ?? null)),
  };
}

/** The definition whose options apply: the command's own, or the invoked subcommand's. */
function leafDefinition(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
  subcommand: string | undefined,
): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const subcommands = (definition.options ?? []).filter(
    (option): option is APIApplicationCommandSubcommandOption =>
      option.type === ApplicationCommandOptionType.Subcommand,
  );
  if (subcommands.length === 0) return definition;
  const names = subcommands.map((option) => option.name).join(", ");
  const chosen = subcommands.find((option) => option.name === subcommand);
  if (!chosen)
    throw new UserError(
      subcommand === undefined
        ? `/${definition.name} needs a subcommand: ${names}.`
        : `/${definition.name} has no subcommand ${subcommand}; it has ${names}.`,
    );
  return { ...definition, name: `${definition.name} ${chosen.name}`, options: chosen.options ?? [] };
}
