import { SlashCommandBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { completeCommandLine } from "../../src/playground/completeCommandLine.ts";

const commands = [
  new SlashCommandBuilder()
    .setName("quiz")
    .setDescription("q")
    .addStringOption((o) => o.setName("lesson").setDescription("l").setAutocomplete(true))
    .addIntegerOption((o) => o.setName("questions").setDescription("n"))
    .toJSON(),
  new SlashCommandBuilder()
    .setName("class")
    .setDescription("c")
    .addSubcommand((s) =>
      s
        .setName("start")
        .setDescription("s")
        .addStringOption((o) => o.setName("lesson").setDescription("l").setAutocomplete(true))
        .addIntegerOption((o) => o.setName("question_seconds").setDescription("n")),
    )
    .addSubcommand((s) => s.setName("end").setDescription("e"))
    .toJSON(),
];

const lessons = async (commandName: string, focused: { name: string; value: string }) =>
  ["base-models", "chat-templates"]
    .filter((name) => name.startsWith(focused.value))
    .map((name) => ({ name: `${commandName}:${name}`, value: name }));

const complete = (line: string, members: string[] = []) =>
  completeCommandLine(line, commands, lessons, members);

describe("completeCommandLine", () => {
  it("GIVEN an empty line or the start of as THEN offers as: beside the commands", async () => {
    expect(await complete("")).toEqual([["/quiz", "/class", "as:"], ""]);
    expect(await complete("a")).toEqual([["as:"], "a"]);
    expect(await complete("/")).toEqual([["/quiz", "/class"], "/"]);
  });

  it("GIVEN as: and part of a name THEN offers the members met so far", async () => {
    const members = ["you", "bob", "Bella", "carol"];
    expect(await complete("as:", members)).toEqual([["as:you ", "as:bob ", "as:Bella ", "as:carol "], "as:"]);
    expect(await complete("as:b", members)).toEqual([["as:bob ", "as:Bella "], "as:b"]);
    expect(await complete("as:z", members)).toEqual([[], "as:z"]);
  });

  it("GIVEN as:<name> and the start of a command THEN the rest completes as a line of its own", async () => {
    expect(await complete("as:bob /qu")).toEqual([["/quiz"], "/qu"]);
    expect(await complete("as:bob /quiz q")).toEqual([["questions:"], "q"]);
    expect(await complete("as:bob /quiz lesson:ba")).toEqual([["lesson:base-models"], "lesson:ba"]);
  });

  it("GIVEN a command with subcommands THEN completes the subcommand, then that subcommand's options", async () => {
    expect(await complete("/class ")).toEqual([["start ", "end "], ""]);
    expect(await complete("/class st")).toEqual([["start "], "st"]);
    expect(await complete("/class start ")).toEqual([["lesson:", "question_seconds:"], ""]);
    expect(await complete("/class start lesson:ch")).toEqual([["lesson:chat-templates"], "lesson:ch"]);
    expect(await complete("/class end ")).toEqual([[], ""]);
    expect(await complete("/class nope ")).toEqual([[], "/class nope "]);
  });
});
