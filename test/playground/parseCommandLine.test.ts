import { SlashCommandBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { readOptions } from "../../src/interactions/readOptions.ts";
import { parseCommandLine } from "../../src/playground/parseCommandLine.ts";

const definitions = [
  new SlashCommandBuilder()
    .setName("quiz")
    .setDescription("quiz")
    .addStringOption((o) => o.setName("lesson").setDescription("lesson"))
    .addIntegerOption((o) => o.setName("questions").setDescription("n").setMinValue(1).setMaxValue(20))
    .toJSON(),
  new SlashCommandBuilder()
    .setName("compare")
    .setDescription("compare")
    .addStringOption((o) => o.setName("prompt").setDescription("p").setRequired(true))
    .addNumberOption((o) => o.setName("temperature").setDescription("t").setMinValue(0).setMaxValue(2))
    .addStringOption((o) =>
      o
        .setName("mode")
        .setDescription("m")
        .addChoices(
          { name: "side by side", value: "side-by-side" },
          { name: "three-way", value: "three-way" },
        ),
    )
    .addBooleanOption((o) => o.setName("blind").setDescription("b"))
    .toJSON(),
];

/** Parses a line, then reads its raw values as the runtime does, to check the typed result. */
function parse(line: string) {
  const parsed = parseCommandLine(line, definitions);
  const definition = definitions.find((command) => command.name === parsed.commandName);
  if (!definition) throw new Error(`no definition for /${parsed.commandName}`);
  return {
    commandName: parsed.commandName,
    options: readOptions(definition, parsed.options, parsed.members),
  };
}

describe("parseCommandLine", () => {
  it("GIVEN options as name:value THEN returns typed values", () => {
    const parsed = parse("/quiz lesson:base-models questions:3");
    expect(parsed.commandName).toBe("quiz");
    expect(parsed.options.getString("lesson")).toBe("base-models");
    expect(parsed.options.getInteger("questions")).toBe(3);
  });

  it("GIVEN a value with spaces and colons THEN keeps it whole up to the next option name", () => {
    const parsed = parse(
      "/compare prompt:Q: What is the capital of France? A: temperature:0.5 mode:three-way blind:yes",
    );
    expect(parsed.options.getString("prompt")).toBe("Q: What is the capital of France? A:");
    expect(parsed.options.getNumber("temperature")).toBe(0.5);
    expect(parsed.options.getString("mode")).toBe("three-way");
    expect(parsed.options.getBoolean("blind")).toBe(true);
  });

  it("GIVEN a quoted value that contains another option's name THEN it is one value", () => {
    const parsed = parse('/compare prompt:"Explain temperature:2" temperature:0.5');
    expect(parsed.options.getString("prompt")).toBe("Explain temperature:2");
    expect(parsed.options.getNumber("temperature")).toBe(0.5);
  });

  it("GIVEN single quotes around a value holding every option name THEN it is one value", () => {
    const parsed = parse("/compare prompt:'mode:three-way blind:yes' blind:no");
    expect(parsed.options.getString("prompt")).toBe("mode:three-way blind:yes");
    expect(parsed.options.getString("mode")).toBeNull();
    expect(parsed.options.getBoolean("blind")).toBe(false);
  });

  it("GIVEN escaped quotes and backslashes inside a quoted value THEN they become literal characters", () => {
    const parsed = parse(String.raw`/compare prompt:"She said \"hi\" at C:\\tmp\new" mode:three-way`);
    expect(parsed.options.getString("prompt")).toBe(String.raw`She said "hi" at C:\tmp\new`);
    expect(parsed.options.getString("mode")).toBe("three-way");
  });

  it("GIVEN quotes in the middle of an unquoted value THEN they are kept as written", () => {
    const parsed = parse('/compare prompt:Say "yes" twice');
    expect(parsed.options.getString("prompt")).toBe('Say "yes" twice');
  });

  it("GIVEN no options THEN every getter returns null", () => {
    const parsed = parse("/quiz");
    expect(parsed.options.getString("lesson")).toBeNull();
    expect(parsed.options.getInteger("questions")).toBeNull();
  });

  it.each([
    ["/quiz questions:30", /at most 20/],
    ["/quiz questions:two", /whole number/],
    ["/compare", /needs the option prompt/],
    ["/compare prompt:hi mode:sideways", /must be one of: side-by-side, three-way/],
    ["/nope", /There is no \/nope/],
    ["quiz", /start with a slash/],
    ["/quiz base-models", /Write options as name:value/],
    ['/compare prompt:"never closed temperature:1', /prompt opens a quote that is never closed/],
    ['/compare prompt:"hi"mode:three-way', /prompt goes on after its closing quote/],
    ['/compare prompt:""', /prompt can't be empty/],
  ])("GIVEN %s THEN explains the problem politely", (line, message) => {
    expect(() => parseCommandLine(line, definitions)).toThrow(UserError);
    expect(() => parseCommandLine(line, definitions)).toThrow(message);
  });
  describe("a command with subcommands", () => {
    const withClass = [
      ...definitions,
      new SlashCommandBuilder()
        .setName("class")
        .setDescription("c")
        .addSubcommand((sub) =>
          sub
            .setName("start")
            .setDescription("s")
            .addStringOption((o) => o.setName("lesson").setDescription("l").setRequired(true))
            .addIntegerOption((o) => o.setName("question_seconds").setDescription("n").setMinValue(5)),
        )
        .addSubcommand((sub) =>
          sub
            .setName("host")
            .setDescription("h")
            .addUserOption((o) => o.setName("member").setDescription("m").setRequired(true)),
        )
        .addSubcommand((sub) => sub.setName("end").setDescription("e"))
        .toJSON(),
    ];

    it("GIVEN /class start with options THEN names the subcommand and reads its own options", () => {
      expect(parseCommandLine("/class start lesson:base-models question_seconds:20", withClass)).toEqual({
        commandName: "class",
        subcommand: "start",
        options: { lesson: "base-models", question_seconds: 20 },
        members: {},
      });
      expect(parseCommandLine("/class END", withClass)).toEqual({
        commandName: "class",
        subcommand: "end",
        options: {},
        members: {},
      });
      expect(parseCommandLine("/class host member:bob", withClass)).toEqual({
        commandName: "class",
        subcommand: "host",
        options: { member: "playground-bob" },
        members: { "playground-bob": { id: "playground-bob", displayName: "bob" } },
      });
      // A command without subcommands says nothing about one.
      expect(parseCommandLine("/quiz", withClass)).not.toHaveProperty("subcommand");
    });

    it.each([
      ["/class", /\/class needs a subcommand first: start, host, end \(like \/class start\)/],
      ["/class begin lesson:x", /\/class has no subcommand begin; it has start, host, end/],
      ["/class start", /\/class start needs the option lesson/],
      ["/class start lesson:x question_seconds:1", /question_seconds must be at least 5/],
      ["/class end lesson:x", /This command takes no options/],
      ["/class host member:b@d", /can't be a member's name/],
    ])("GIVEN %s THEN explains the problem politely", (line, message) => {
      expect(() => parseCommandLine(line, withClass)).toThrow(UserError);
      expect(() => parseCommandLine(line, withClass)).toThrow(message);
    });
  });
});
