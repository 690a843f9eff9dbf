import type {
  APIApplicationCommandBasicOption,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { AutocompleteChoice } from "../ui/interaction.ts";
import { subcommandsOf } from "./parseCommandLine.ts";

/** Asks a command for suggestions, as Discord does while a member types an autocomplete option. */
export type AskAutocomplete = (
  commandName: string,
  focused: { name: string; value: string },
) => Promise<AutocompleteChoice[]>;

/** A value as it must be typed: quoted (with escapes) when it holds spaces or starts with a quote. */
function typedValue(value: string): string {
  return /[\s"']/.test(value) || value === "" ? `"${value.replace(/["\\]/g, "\\$&")}"` : value;
}

/** The options written in `rest`, in order, skipping `name:` text inside quoted values. */
function optionsIn(rest: string, names: readonly string[]): { name: string; start: number }[] {
  const found: { name: string; start: number }[] = [];
  let quote: string | undefined;
  for (let index = 0; index < rest.length; index += 1) {
    const char = rest[index];
    if (quote !== undefined) {
      if (char === "\\") index += 1;
      else if (char === quote) quote = undefined;
      continue;
    }
    const atBoundary = index === 0 || /\s/.test(rest[index - 1] ?? "");
    const name = atBoundary ? names.find((candidate) => rest.startsWith(`${candidate}:`, index)) : undefined;
    if (name !== undefined) {
      found.push({ name, start: index });
      index += name.length;
      const first = rest[index + 1];
      if (first === '"' || first === "'") {
        quote = first;
        index += 1;
      }
    }
  }
  return found;
}

/**
 * Tab completion for a playground line, in readline's `[completions, completedText]` form:
 * command names after `/` (and `as:` to act as another member); member names after `as:`, from
 * `memberNames` (the members met this session); option names from the command's definition
 * (those not given yet); and values: an option's choices, or the command's own autocomplete
 * (lesson names, for example). After `as:<name> ` the rest of the line completes as usual.
 */
export async function completeCommandLine(
  line: string,
  commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
  askAutocomplete: AskAutocomplete,
  memberNames: readonly string[] = [],
): Promise<[string[], string]> {
  const acting = /^as:(\S*)(\s+)?/s.exec(line);
  if (acting && acting[2] === undefined) {
    const typed = acting[1]?.toLowerCase() ?? "";
    const hits = memberNames
      .filter((name) => name.toLowerCase().startsWith(typed))
      .map((name) => `as:${name} `);
    return [hits, line];
  }
  if (acting) return completeCommandLine(line.slice(acting[0].length), commands, askAutocomplete);
  const command = /^\/(\S*)(\s+(.*))?$/s.exec(line);
  if (!command || command[2] === undefined) {
    const names = [...commands.map((definition) => `/${definition.name}`), "as:"];
    const hits = names.filter((name) => name.startsWith(line));
    return [hits.length > 0 ? hits : names, line];
  }
  const definition = commands.find((candidate) => candidate.name === command[1]?.toLowerCase());
  if (!definition) return [[], line];
  let options = (definition.options ?? []) as APIApplicationCommandBasicOption[];
  let rest = command[3] ?? "";
  const subcommands = subcommandsOf(definition);
  if (subcommands.length > 0) {
    // The first word is the subcommand; the options that follow are its own.
    const typed = /^(\S*)(\s+)?(.*)$/s.exec(rest);
    const word = typed?.[1] ?? "";
    if (typed?.[2] === undefined) {
      const hits = subcommands
        .map((option) => option.name)
        .filter((name) => name.startsWith(word.toLowerCase()));
      return [hits.map((name) => `${name} `), word];
    }
    const chosen = subcommands.find((option) => option.name === word.toLowerCase());
    if (!chosen) return [[], line];
    options = (chosen.options ?? []) as APIApplicationCommandBasicOption[];
    rest = typed[3] ?? "";
  }
  const names = options.map((option) => option.name);
  const word = /\S*$/.exec(rest)?.[0] ?? "";
  const written = optionsIn(rest, names);
  const last = written.at(-1);
  const typing = last && { ...last, value: rest.slice(last.start + last.name.length + 1) };

  // The line ends inside a value: the option's value is everything after `name:`.
  if (typing && (typing.start === rest.length - word.length || /^["']/.test(typing.value))) {
    const closedQuote = /^(["'])(?:\\.|(?!\1).)*\1\s/s.test(typing.value);
    if (!closedQuote) {
      const option = options.find((candidate) => candidate.name === typing.name);
      const partial = typing.value.replace(/^["']/, "");
      let values: string[] = [];
      if (option && "choices" in option && option.choices && option.choices.length > 0) {
        values = option.choices
          .map((choice) => String(choice.value))
          .filter((value) => value.toLowerCase().startsWith(partial.toLowerCase()));
      } else if (option && "autocomplete" in option && option.autocomplete) {
        const choices = await askAutocomplete(definition.name, { name: typing.name, value: partial });
        values = choices.map((choice) => choice.value);
      }
      const typed = `${typing.name}:${typing.value}`;
      return [values.map((value) => `${typing.name}:${typedValue(value)}`), typed];
    }
  }

  // Otherwise the last word starts a new option: offer the names not given yet.
  const given = new Set(
    written.filter((option) => option.start < rest.length - word.length).map((option) => option.name),
  );
  const hits = names.filter((name) => !given.has(name) && name.startsWith(word)).map((name) => `${name}:`);
  return [hits, word];
}
