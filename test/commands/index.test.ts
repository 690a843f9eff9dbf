import { readdirSync } from "node:fs";
import { InteractionContextType } from "discord.js";
import { describe, expect, it } from "vitest";
import { commands } from "../../commands/index.ts";

/** One file per slash command in `commands/` (file name = command name), besides the shared ones. */
const commandFiles = readdirSync(new URL("../../commands/", import.meta.url))
  .filter((file) => file.endsWith(".ts") && file !== "index.ts" && file !== "command.ts")
  .map((file) => file.replace(/\.ts$/, ""))
  .sort();

describe("commands", () => {
  it("GIVEN the files in commands/ THEN the list has each of them exactly once, under its file's name", () => {
    const names = commands.map((command) => command.data.name);
    expect(commandFiles.length).toBeGreaterThan(0);
    expect([...names].sort()).toEqual(commandFiles);
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
      expect.arrayContaining(["lesson", "quiz", "review", "compare", "vote", "tryit", "nexttoken"]),
    );
  });
});
