import { SlashCommandBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { command as compare } from "../../commands/compare.ts";
import { checkOptions } from "../../src/interactions/checkOptions.ts";

/** A definition with one option of each kind the checker knows, built the way `commands/*.ts` build theirs. */
const definition = new SlashCommandBuilder()
  .setName("demo")
  .setDescription("Every kind of option.")
  .addStringOption((option) =>
    option.setName("prompt").setDescription("text").setRequired(true).setMinLength(2).setMaxLength(10),
  )
  .addStringOption((option) =>
    option
      .setName("mode")
      .setDescription("a choice")
      .addChoices({ name: "one", value: "one" }, { name: "two", value: "two" }),
  )
  .addNumberOption((option) =>
    option.setName("temperature").setDescription("n").setMinValue(0).setMaxValue(2),
  )
  .addNumberOption((option) => option.setName("ratio").setDescription("n"))
  .addIntegerOption((option) => option.setName("count").setDescription("i").setMinValue(1))
  .addIntegerOption((option) =>
    option
      .setName("level")
      .setDescription("an integer choice")
      .addChoices({ name: "low", value: 1 }, { name: "high", value: 3 }),
  )
  .addBooleanOption((option) => option.setName("blind").setDescription("b"))
  .addUserOption((option) => option.setName("member").setDescription("u"))
  .toJSON();

function problemsOf(received: Record<string, unknown>) {
  const checked = checkOptions(definition, { prompt: "hello", ...received });
  return checked.ok ? [] : checked.problems.map(({ option, kind, message }) => ({ option, kind, message }));
}

describe("checkOptions", () => {
  it("GIVEN valid values of every kind THEN they come back typed, and options not sent are left out", () => {
    const sent = {
      prompt: "hello",
      mode: "two",
      temperature: 0.5,
      ratio: -3.25,
      count: 7,
      level: 3,
      blind: false,
      member: "123456789012345678",
    };
    expect(checkOptions(definition, sent)).toEqual({ ok: true, values: sent });
    expect(checkOptions(definition, { prompt: "hi", mode: null, count: undefined })).toEqual({
      ok: true,
      values: { prompt: "hi" },
    });
  });

  it("GIVEN text for a number THEN the member is told the type and range, with what they sent", () => {
    expect(problemsOf({ temperature: "hot" })).toEqual([
      {
        option: "temperature",
        kind: "wrong-type",
        message: 'temperature must be a number from 0 to 2; you sent "hot".',
      },
    ]);
  });

  it("GIVEN NaN or Infinity THEN they are refused as not finite", () => {
    expect(problemsOf({ temperature: Number.NaN, ratio: Number.POSITIVE_INFINITY })).toEqual([
      {
        option: "temperature",
        kind: "not-finite",
        message: "temperature must be a number from 0 to 2; you sent NaN.",
      },
      { option: "ratio", kind: "not-finite", message: "ratio must be a number; you sent Infinity." },
    ]);
  });

  it("GIVEN a number outside min/max THEN out of range", () => {
    expect(problemsOf({ temperature: 2.5, count: 0 })).toEqual([
      {
        option: "temperature",
        kind: "out-of-range",
        message: "temperature must be a number from 0 to 2; you sent 2.5.",
      },
      {
        option: "count",
        kind: "out-of-range",
        message: "count must be a whole number of at least 1; you sent 0.",
      },
    ]);
  });

  it("GIVEN a float for an integer THEN wrong type, phrased as a whole number", () => {
    expect(problemsOf({ count: 2.5 })).toEqual([
      {
        option: "count",
        kind: "wrong-type",
        message: "count must be a whole number of at least 1; you sent 2.5.",
      },
    ]);
  });

  it("GIVEN a value that is not a declared choice THEN the choices are listed", () => {
    expect(problemsOf({ mode: "three", level: 2 })).toEqual([
      {
        option: "mode",
        kind: "not-a-choice",
        message: 'mode must be one of "one", "two"; you sent "three".',
      },
      { option: "level", kind: "not-a-choice", message: "level must be one of 1, 3; you sent 2." },
    ]);
  });

  it("GIVEN text longer than max_length or shorter than min_length THEN the length is stated", () => {
    expect(problemsOf({ prompt: "x".repeat(11) })).toEqual([
      {
        option: "prompt",
        kind: "too-long",
        message: "prompt can be at most 10 characters long; you sent 11.",
      },
    ]);
    expect(problemsOf({ prompt: "x" })).toEqual([
      {
        option: "prompt",
        kind: "too-short",
        message: "prompt must be at least 2 characters long; you sent 1.",
      },
    ]);
    // Ten emoji are ten characters, though twenty UTF-16 units.
    expect(problemsOf({ prompt: "😀".repeat(10) })).toEqual([]);
  });

  it("GIVEN a non-boolean for a boolean and a non-id for a user THEN wrong type", () => {
    expect(problemsOf({ blind: "yes", member: "@everyone" })).toEqual([
      { option: "blind", kind: "wrong-type", message: 'blind must be true or false; you sent "yes".' },
      {
        option: "member",
        kind: "wrong-type",
        message: 'member must be picked from the list Discord offers; you sent "@everyone".',
      },
    ]);
  });

  it("GIVEN the members the platform resolved THEN a user option must name one of them, whatever its id looks like", () => {
    const resolved = { users: new Set(["playground-bob"]) };
    expect(checkOptions(definition, { prompt: "hello", member: "playground-bob" }, resolved)).toEqual({
      ok: true,
      values: { prompt: "hello", member: "playground-bob" },
    });
    expect(checkOptions(definition, { prompt: "hello", member: "123456789012345678" }, resolved)).toEqual({
      ok: false,
      problems: [
        {
          option: "member",
          kind: "wrong-type",
          message: 'member must be picked from the list Discord offers; you sent "123456789012345678".',
        },
      ],
    });
  });

  it("GIVEN a missing required option and an unknown one THEN both are reported", () => {
    const checked = checkOptions(definition, { colour: "red" });
    expect(checked).toEqual({
      ok: false,
      problems: [
        { option: "colour", kind: "unknown", message: '/demo has no option named "colour".' },
        { option: "prompt", kind: "missing", message: "prompt is required." },
      ],
    });
  });

  it("GIVEN a huge or structured value THEN only a short echo of it is quoted", () => {
    const [problem] = problemsOf({ ratio: "9".repeat(500) });
    expect(problem?.message.length).toBeLessThan(80);
    expect(problemsOf({ ratio: { $gt: 1 } })[0]?.message).toBe('ratio must be a number; you sent {"$gt":1}.');
  });

  it("GIVEN /compare's real definition and a malformed temperature THEN the problem names its range", () => {
    const checked = checkOptions(compare.data, { prompt: "Hello", temperature: "hot" });
    expect(checked).toEqual({
      ok: false,
      problems: [
        {
          option: "temperature",
          kind: "wrong-type",
          message: 'temperature must be a number from 0 to 2; you sent "hot".',
        },
      ],
    });
  });
});
