import { InteractionContextType } from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";

describe("commands", () => {
  it("GIVEN the command list THEN names are unique and match their files' commands", () => {
    expect(commands.map((command) => command.data.name)).toEqual([
      "lesson",
      "quiz",
      "review",
      "progress",
      "leaderboard",
    ]);
  });

  it.each(commands.map((command) => [command.data.name, command] as const))(
    "GIVEN /%s THEN it can only be used in a guild",
    (_name, command) => {
      expect(command.data.contexts).toEqual([InteractionContextType.Guild]);
    },
  );

  it("GIVEN the button prefixes THEN each is claimed by exactly one command", () => {
    const prefixes = commands.flatMap((command) => Object.keys(command.buttons ?? {}));
    expect(prefixes.sort()).toEqual(["lesson", "quiz", "review"]);
  });
});
