import { InteractionContextType } from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";

describe("commands", () => {
  it("GIVEN the command list THEN every documented command is there, once", () => {
    const names = commands.map((command) => command.data.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(["lesson", "quiz", "review", "progress", "leaderboard", "compare", "template"]),
    );
  });

  it.each(commands.map((command) => [command.data.name, command] as const))(
    "GIVEN /%s THEN it can only be used in a guild",
    (_name, command) => {
      expect(command.data.contexts).toEqual([InteractionContextType.Guild]);
    },
  );

  it("GIVEN the button prefixes THEN each is claimed by exactly one command", () => {
    const prefixes = commands.flatMap((command) => Object.keys(command.buttons ?? {}));
    expect(new Set(prefixes).size).toBe(prefixes.length);
    expect(prefixes).toEqual(
      expect.arrayContaining(["lesson", "quiz", "review", "compare", "vote", "tryit"]),
    );
  });
});
