import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { UserError } from "../errors.ts";
import type { Actor, CommandOptions, RawOptions } from "../ui/interaction.ts";

/**
 * Turns the raw option values of a command into typed getters, after checking each one against
 * the command's own definition. Discord's client usually checks types and ranges, but a payload
 * can say anything, so nothing reaches a feature unchecked.
 */
export function readOptions(
  definition: RESTPostAPIChatInputApplicationCommandsJSONBody,
  raw: RawOptions,
  members: Readonly<Record<string, Actor>>,
): CommandOptions {
  const values: Record<string, unknown> = {};
  for (const option of definition.options ?? []) {
    const value = raw[option.name];
    if (value === undefined || value === null) continue;
    values[option.name] = value;
  }
  const read = <T>(name: string, check: (value: unknown) => value is T): T | null => {
    const value = values[name];
    if (value === undefined) return null;
    if (!check(value)) throw new UserError(`The option ${name} has a value of the wrong kind.`);
    return value;
  };
  const isString = (value: unknown): value is string => typeof value === "string";
  const isNumber = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value);
  const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);
  const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
  return {
    getString: (name) => read(name, isString),
    getInteger: (name) => read(name, isInteger),
    getNumber: (name) => read(name, isNumber),
    getBoolean: (name) => read(name, isBoolean),
    getUser: (name) => {
      const id = read(name, isString);
      return id === null ? null : (members[id] ?? { id, displayName: "a member" });
    },
  };
}
