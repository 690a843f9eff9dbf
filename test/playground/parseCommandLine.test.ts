import { SlashCommandBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
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

describe("parseCommandLine", () => {
  it("GIVEN options as name:value THEN returns typed values", () => {
    const parsed = parseCommandLine("/quiz lesson:base-models questions:3", definitions);
    expect(parsed.commandName).toBe("quiz");
    expect(parsed.options.getString("lesson")).toBe("base-models");
    expect(parsed.options.getInteger("questions")).toBe(3);
  });

  it("GIVEN a value with spaces and colons THEN keeps it whole up to the next option name", () => {
    const parsed = parseCommandLine(
      "/compare prompt:Q: What is the capital of France? A: temperature:0.5 mode:three-way blind:yes",
      definitions,
    );
    expect(parsed.options.getString("prompt")).toBe("Q: What is the capital of France? A:");
    expect(parsed.options.getNumber("temperature")).toBe(0.5);
    expect(parsed.options.getString("mode")).toBe("three-way");
    expect(parsed.options.getBoolean("blind")).toBe(true);
  });

  it("GIVEN no options THEN every getter returns null", () => {
    const parsed = parseCommandLine("/quiz", definitions);
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
  ])("GIVEN %s THEN explains the problem politely", (line, message) => {
    expect(() => parseCommandLine(line, definitions)).toThrow(UserError);
    expect(() => parseCommandLine(line, definitions)).toThrow(message);
  });
});
