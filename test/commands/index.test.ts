import { readdirSync } from "node:fs";
import { InteractionContextType } from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";

describe("commands", () => {
  it("GIVEN one file per command in commands/ THEN the list holds exactly those commands, once each", () => {
    // File name = command name; command.ts (the type) and index.ts (this list) are not commands.
    const files = readdirSync(new URL("../../commands", import.meta.url))
      .filter((file) => file.endsWith(".ts") && file !== "command.ts" && file !== "index.ts")
      .map((file) => file.slice(0, -".ts".length))
      .sort();
    const names = commands.map((command) => command.data.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(files);
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
