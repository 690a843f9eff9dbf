import {
  type APIApplicationCommand,
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
} from "discord-api-types/v10";
import type { DoubleUser } from "./InteractionHandle.ts";

/** What a test may pass for an option: a user for user options, else the typed value. */
export type SlashOptionValue = string | number | boolean | DoubleUser;

/** Where in a command tree the invoked options live. */
export interface SubcommandPath {
  subcommand?: string;
  subcommandGroup?: string;
}

export interface BuiltOptions {
  options: APIApplicationCommandInteractionDataOption[];
  /** Users picked in user options, for `resolved.users` and `resolved.members`. */
  users: DoubleUser[];
}

function isUser(value: SlashOptionValue): value is DoubleUser {
  return typeof value === "object";
}

function inferType(value: SlashOptionValue): ApplicationCommandOptionType {
  if (isUser(value)) return ApplicationCommandOptionType.User;
  if (typeof value === "boolean") return ApplicationCommandOptionType.Boolean;
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? ApplicationCommandOptionType.Integer
      : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

/** The leaf option definitions for the chosen subcommand, failing the way a Discord client would not let a user. */
function leafDefinitions(
  command: APIApplicationCommand,
  path: SubcommandPath,
): APIApplicationCommandOption[] {
  let level = command.options ?? [];
  const descend = (type: ApplicationCommandOptionType, name: string | undefined, what: string) => {
    const hasLevel = level.some((option) => option.type === type);
    if (!hasLevel && name === undefined) return;
    const found = level.find((option) => option.type === type && option.name === name);
    if (!found || !("options" in found)) {
      throw new Error(
        `/${command.name} has no ${what} "${name ?? ""}"; registered: ${level.map((o) => o.name).join(", ")}`,
      );
    }
    level = found.options ?? [];
  };
  descend(ApplicationCommandOptionType.SubcommandGroup, path.subcommandGroup, "subcommand group");
  descend(ApplicationCommandOptionType.Subcommand, path.subcommand, "subcommand");
  return level;
}

function checkAgainstDefinition(
  command: string,
  definition: APIApplicationCommandBasicOption,
  value: SlashOptionValue,
): void {
  const fail = (why: string) => {
    throw new Error(`/${command} option "${definition.name}": ${why} (Discord's client would not send it)`);
  };
  const type = definition.type;
  if (type === ApplicationCommandOptionType.User && !isUser(value)) fail("expects a user from double.user()");
  if (type === ApplicationCommandOptionType.Boolean && typeof value !== "boolean") fail("expects a boolean");
  if (type === ApplicationCommandOptionType.String && typeof value !== "string") fail("expects a string");
  if (type === ApplicationCommandOptionType.Integer && !Number.isInteger(value)) fail("expects an integer");
  if (type === ApplicationCommandOptionType.Number && typeof value !== "number") fail("expects a number");
  if ("choices" in definition && definition.choices?.length) {
    if (!definition.choices.some((choice) => choice.value === value))
      fail(`${String(value)} is not one of the choices`);
  }
  if (typeof value === "number" && "min_value" in definition) {
    if (definition.min_value !== undefined && value < definition.min_value)
      fail(`below min_value ${definition.min_value}`);
    if (definition.max_value !== undefined && value > definition.max_value)
      fail(`above max_value ${definition.max_value}`);
  }
  if (typeof value === "string" && "min_length" in definition) {
    if (definition.min_length !== undefined && value.length < definition.min_length)
      fail("shorter than min_length");
  }
  if (typeof value === "string" && "max_length" in definition) {
    if (definition.max_length !== undefined && value.length > definition.max_length)
      fail("longer than max_length");
  }
}

/**
 * Builds `data.options` as Discord sends them: types from the registered definition when there
 * is one (with the checks a Discord client applies: known names, required options, choices,
 * ranges), otherwise inferred from the JavaScript values.
 * `focused` names the option being typed in an autocomplete; its value is sent as typed.
 */
export function buildCommandOptions(
  commandName: string,
  command: APIApplicationCommand | undefined,
  values: Record<string, SlashOptionValue>,
  path: SubcommandPath,
  focused?: string,
): BuiltOptions {
  const definitions = command ? leafDefinitions(command, path) : undefined;
  const users: DoubleUser[] = [];
  const options: APIApplicationCommandInteractionDataBasicOption[] = Object.entries(values).map(
    ([name, value]) => {
      const definition = definitions?.find((option) => option.name === name) as
        | APIApplicationCommandBasicOption
        | undefined;
      if (definitions && !definition) {
        throw new Error(
          `/${commandName} has no option "${name}"; registered: ${definitions.map((o) => o.name).join(", ")}`,
        );
      }
      const type = definition?.type ?? inferType(value);
      if (name === focused) {
        return {
          name,
          type,
          value: String(value),
          focused: true,
        } as APIApplicationCommandInteractionDataBasicOption;
      }
      if (definition) checkAgainstDefinition(commandName, definition, value);
      if (isUser(value)) {
        users.push(value);
        return { name, type: ApplicationCommandOptionType.User, value: value.id };
      }
      // The union ties each `type` to its value type; `type` comes from data, so the pairing was checked above.
      return { name, type, value } as APIApplicationCommandInteractionDataBasicOption;
    },
  );
  for (const definition of focused === undefined ? (definitions ?? []) : []) {
    const required = "required" in definition && definition.required === true;
    if (required && !(definition.name in values)) {
      throw new Error(`/${commandName} requires option "${definition.name}"`);
    }
  }
  if (path.subcommand === undefined) return { options, users };
  const subcommand: APIApplicationCommandInteractionDataOption = {
    name: path.subcommand,
    type: ApplicationCommandOptionType.Subcommand,
    options,
  };
  if (path.subcommandGroup === undefined) return { options: [subcommand], users };
  return {
    options: [
      {
        name: path.subcommandGroup,
        type: ApplicationCommandOptionType.SubcommandGroup,
        options: [subcommand],
      },
    ],
    users,
  };
}
