import { SlashCommandBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { readOptions } from "../../src/interactions/readOptions.ts";
import { parseCommandLine } from "../../src/playground/parseCommandLine.ts";

const room = new SlashCommandBuilder()
  .setName("room")
  .setDescription("room")
  .addSubcommand((sub) =>
    sub
      .setName("start")
      .setDescription("start")
      .addStringOption((o) => o.setName("lesson").setDescription("l").setRequired(true))
      .addIntegerOption((o) => o.setName("questions").setDescription("n").setMinValue(1).setMaxValue(20)),
  )
  .addSubcommand((sub) =>
    sub
      .setName("host")
      .setDescription("host")
      .addUserOption((o) => o.setName("member").setDescription("m").setRequired(true)),
  )
  .toJSON();

describe("subcommands in the playground and the runtime", () => {
  it("GIVEN /room start with options THEN the subcommand and its typed options come through", () => {
    const parsed = parseCommandLine("/room start lesson:base-models questions:3", [room]);
    expect(parsed.subcommand).toBe("start");
    const options = readOptions(room, parsed.options, parsed.members, parsed.subcommand);
    expect(options.getSubcommand()).toBe("start");
    expect(options.getString("lesson")).toBe("base-models");
    expect(options.getInteger("questions")).toBe(3);
  });

  it("GIVEN a user option of a subcommand THEN the member is resolved", () => {
    const parsed = parseCommandLine("/room host member:bob", [room]);
    const options = readOptions(room, parsed.options, parsed.members, parsed.subcommand);
    expect(options.getUser("member")?.displayName).toBe("bob");
  });

  it("GIVEN no subcommand, or an unknown one THEN the member hears which exist", () => {
    expect(() => parseCommandLine("/room", [room])).toThrow(/needs a subcommand first: start, host/);
    expect(() => parseCommandLine("/room stop", [room])).toThrow(/no subcommand stop; it has start, host/);
    expect(() => readOptions(room, {}, {}, undefined)).toThrow(UserError);
  });

  it("GIVEN an option that belongs to another subcommand THEN the runtime refuses it", () => {
    expect(() => readOptions(room, { lesson: "x", member: "1" }, {}, "start")).toThrow(/no option named/);
  });
});
