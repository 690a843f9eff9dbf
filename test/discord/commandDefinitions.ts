import {
  type APIApplicationCommand,
  type APIApplicationCommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIApplicationCommandsJSONBody,
} from "discord-api-types/v10";
import type { FormIssue } from "./ApiError.ts";
import { nextSnowflake, stableSnowflake } from "./snowflake.ts";
import { codePointLength } from "./validateMessage.ts";

const commandName = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function checkNameAndDescription(
  issues: FormIssue[],
  path: (string | number)[],
  item: { name?: unknown; description?: unknown },
  needsDescription: boolean,
): void {
  const name = typeof item.name === "string" ? item.name : "";
  if (!commandName.test(name) || name !== name.toLowerCase()) {
    issues.push({
      path: [...path, "name"],
      code: "APPLICATION_COMMAND_INVALID_NAME",
      message: "Command name is invalid",
    });
  }
  const description = typeof item.description === "string" ? item.description : "";
  const length = codePointLength(description);
  if (needsDescription && (length < 1 || length > 100)) {
    issues.push({
      path: [...path, "description"],
      code: "BASE_TYPE_BAD_LENGTH",
      message: "Must be between 1 and 100 in length.",
    });
  }
}

function checkOptions(
  issues: FormIssue[],
  path: (string | number)[],
  options: APIApplicationCommandOption[],
): void {
  if (options.length > 25) {
    issues.push({ path, code: "BASE_TYPE_MAX_LENGTH", message: "Must be 25 or fewer in length." });
  }
  let sawOptional = false;
  const names = new Set<string>();
  options.forEach((option, index) => {
    const at = [...path, index];
    checkNameAndDescription(issues, at, option, true);
    if (names.has(option.name)) {
      issues.push({
        path: [...at, "name"],
        code: "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
        message: "Option name already exists",
      });
    }
    names.add(option.name);
    const required = "required" in option && option.required === true;
    if (required && sawOptional) {
      issues.push({
        path: [...at, "required"],
        code: "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        message: "Required options must be placed before non-required options",
      });
    }
    sawOptional ||= !required;
    if ("choices" in option && option.choices && option.choices.length > 25) {
      issues.push({
        path: [...at, "choices"],
        code: "BASE_TYPE_MAX_LENGTH",
        message: "Must be 25 or fewer in length.",
      });
    }
    if (
      (option.type === ApplicationCommandOptionType.Subcommand ||
        option.type === ApplicationCommandOptionType.SubcommandGroup) &&
      option.options
    ) {
      checkOptions(issues, [...at, "options"], option.options);
    }
  });
}

/**
 * Validates a bulk overwrite the way Discord does (names, descriptions, option order and counts)
 * and returns the stored commands. Ids survive an overwrite that keeps the name, as on Discord.
 */
export function overwriteCommands(
  body: unknown,
  previous: APIApplicationCommand[],
  scope: { applicationId: string; guildId?: string },
): { commands: APIApplicationCommand[]; issues: FormIssue[] } {
  const issues: FormIssue[] = [];
  if (!Array.isArray(body)) {
    return {
      commands: previous,
      issues: [{ path: [], code: "BASE_TYPE_ARRAY", message: "Must be an array." }],
    };
  }
  const definitions = body as RESTPostAPIApplicationCommandsJSONBody[];
  const seen = new Set<string>();
  definitions.forEach((definition, index) => {
    const chatInput =
      (definition.type ?? ApplicationCommandType.ChatInput) === ApplicationCommandType.ChatInput;
    checkNameAndDescription(issues, [index], definition, chatInput);
    const key = `${definition.type ?? ApplicationCommandType.ChatInput}:${definition.name}`;
    if (seen.has(key)) {
      issues.push({
        path: [index, "name"],
        code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
        message: `Application command names must be unique`,
      });
    }
    seen.add(key);
    if ("options" in definition && definition.options)
      checkOptions(issues, [index, "options"], definition.options);
  });
  const commands = definitions.map((definition): APIApplicationCommand => {
    const kept = previous.find((command) => command.name === definition.name);
    return {
      ...definition,
      id: kept?.id ?? stableSnowflake(`command:${scope.guildId ?? "global"}:${definition.name}`),
      application_id: scope.applicationId,
      ...(scope.guildId ? { guild_id: scope.guildId } : {}),
      type: definition.type ?? ApplicationCommandType.ChatInput,
      description: "description" in definition ? (definition.description ?? "") : "",
      default_member_permissions: definition.default_member_permissions ?? null,
      version: nextSnowflake(),
    };
  });
  return { commands, issues };
}
