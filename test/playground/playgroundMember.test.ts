import { PermissionFlagsBits, SlashCommandBuilder } from "discord.js";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import {
  checkMemberMayUse,
  memberNameFromId,
  playgroundActor,
  playgroundMember,
  splitActingMember,
} from "../../src/playground/playgroundMember.ts";

describe("playgroundMember", () => {
  it("GIVEN a name THEN the id is stable and ignores case, and the display name is the name as typed", () => {
    expect(playgroundMember("Bob")).toEqual({ id: "playground-bob", displayName: "Bob" });
    expect(playgroundMember("bob").id).toBe(playgroundMember("BOB").id);
    expect(playgroundMember("@carol")).toEqual({ id: "playground-carol", displayName: "carol" });
    expect(playgroundMember("山田")).toEqual({ id: "playground-山田", displayName: "山田" });
    expect(playgroundMember("ana_2.b-c").id).toBe("playground-ana_2.b-c");
    expect(playgroundMember("you")).toEqual(playgroundActor);
  });

  it("GIVEN an empty, overlong or odd name THEN refuses it with a note that says what a name may be", () => {
    expect(() => playgroundMember("")).toThrow(new UserError("A member needs a name, like bob."));
    expect(() => playgroundMember("x".repeat(32))).not.toThrow();
    expect(() => playgroundMember("x".repeat(33))).toThrow("at most 32 characters");
    for (const odd of ["b@d", "a:b", 'quo"te', "<@123>", "tab\tname", "🦊"])
      expect(() => playgroundMember(odd), odd).toThrow("use letters, digits, _, - and .");
  });

  it("GIVEN a playground id THEN memberNameFromId gives the name back; other ids give nothing", () => {
    expect(memberNameFromId("playground-bob")).toBe("bob");
    expect(memberNameFromId("123456789012345678")).toBeUndefined();
    expect(memberNameFromId("playground-")).toBeUndefined();
  });
});

describe("splitActingMember", () => {
  it("GIVEN a line without as: THEN the host acts and the line is unchanged", () => {
    expect(splitActingMember("  /quiz lesson:x ")).toEqual({ member: undefined, rest: "/quiz lesson:x" });
    expect(splitActingMember("2")).toEqual({ member: undefined, rest: "2" });
    // Only a leading as: counts; inside an option it is the option's text.
    expect(splitActingMember('/compare prompt:"as:bob"').member).toBeUndefined();
  });

  it("GIVEN as:<name> and a command or number THEN names the member and keeps the rest", () => {
    expect(splitActingMember("as:bob 2")).toEqual({
      member: { id: "playground-bob", displayName: "bob" },
      rest: "2",
    });
    expect(splitActingMember("AS:Carol   /quiz lesson:base-models").rest).toBe("/quiz lesson:base-models");
  });

  it("GIVEN as: without a name or without anything to do THEN says how to write it", () => {
    expect(() => splitActingMember("as: 2")).toThrow("Write the member right after as:, like as:bob 2");
    expect(() => splitActingMember("as:")).toThrow(UserError);
    expect(() => splitActingMember("as:bob  ")).toThrow("What should bob do?");
    expect(() => splitActingMember("as:b@d 2")).toThrow("can't be a member's name");
  });
});

describe("checkMemberMayUse", () => {
  const open = new SlashCommandBuilder().setName("quiz").setDescription("q").toJSON();
  const limited = new SlashCommandBuilder()
    .setName("class")
    .setDescription("c")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageMessages)
    .toJSON();
  const adminOnly = new SlashCommandBuilder()
    .setName("admin")
    .setDescription("a")
    .setDefaultMemberPermissions(0)
    .toJSON();
  const bob = playgroundMember("bob");

  it("GIVEN a command open to everyone THEN anyone may use it", () => {
    expect(() => checkMemberMayUse(open, bob)).not.toThrow();
  });

  it("GIVEN a command limited to a permission THEN the host may use it and another member is told what it needs", () => {
    expect(() => checkMemberMayUse(limited, playgroundActor)).not.toThrow();
    expect(() => checkMemberMayUse(limited, bob)).toThrow(
      "bob can't use /class: it needs Manage Messages, and in the playground only you (the server's owner) have that.",
    );
    expect(() => checkMemberMayUse(adminOnly, bob)).toThrow("it needs an administrator");
  });
});
