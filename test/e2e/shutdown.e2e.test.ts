import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type InteractionHandle, type StoredMessage } from "../discord/DiscordDouble.ts";
import { isFinishedCompare, sideNamed, sidesOf, statsOf } from "../support/compareMessages.ts";
import { startTestBot, temporaryFolder } from "../support/startTestBot.ts";
import { type TinyCompareModels, writeTinyCompareModels } from "../support/tinyCompareModels.ts";

/*
 * Shutting down (what SIGTERM and SIGINT do: `RunningBot.stop`) while /compare runs: the running
 * comparison stops at once and says why, queued ones never start, and nothing stays "running" in
 * the database. On the tiny self-built models, whose base side loops until max_tokens.
 */

const BASE = "Base · tiny-plain";

function finished(command: InteractionHandle): Promise<StoredMessage> {
  return command.waitForReply(isFinishedCompare, 15_000);
}

describe("shutting down during /compare", () => {
  let models: TinyCompareModels;
  const folder = temporaryFolder();

  beforeAll(async () => {
    models = await writeTinyCompareModels({ reply: "Hello", contextLength: 8192 });
  });

  afterAll(async () => {
    await models.remove();
    folder.remove();
  });

  it("GIVEN one comparison running and three queued WHEN the bot stops THEN the running one ends “the bot is restarting”, the queued ones never start, and no run is left running", async () => {
    const double = await DiscordDouble.start();
    const databasePath = path.join(folder.dir, "shutdown.sqlite");
    const bot = await startTestBot(double, {
      databasePath,
      env: {
        ...models.env,
        COMPARE_PARALLEL: "1",
        COMPARE_MAX_TOKENS_LIMIT: "8000",
        COMPARE_COOLDOWN_SECONDS: "0",
      },
    });
    try {
      const running = double.slash(double.user("ann"), "compare", {
        prompt: "Once upon a time",
        max_tokens: 8000,
        temperature: 0,
      });
      await running.waitForReply((message) =>
        sidesOf(message).some((side) => side.name === BASE && side.generating && side.replyLength > 0),
      );
      const queued = ["ben", "cat", "dan"].map((name) =>
        double.slash(double.user(name), "compare", { prompt: `A story for ${name}`, max_tokens: 20 }),
      );
      for (const command of queued) {
        await command.waitForReply((message) => message.text.includes("queued · position"));
      }

      await bot.stop();

      const cut = await finished(running);
      const base = statsOf(sideNamed(cut, BASE));
      expect(base.ended).toBe("the bot is restarting");
      expect(base.tokens).toBeGreaterThan(0);
      expect(base.tokens).toBeLessThan(8000);
      expect(cut.text).not.toContain("stopped by the user");
      for (const command of queued) {
        const never = await finished(command);
        expect(never.text).toContain("The bot is restarting");
        expect(sidesOf(never).every((side) => side.replyLength === 0)).toBe(true);
      }
      const database = new Database(databasePath, { readonly: true });
      try {
        const statuses = database
          .prepare("select status, count(*) as n from compare_runs group by status order by status")
          .all();
        expect(statuses).toEqual([
          { status: "failed", n: 3 },
          { status: "interrupted", n: 1 },
        ]);
      } finally {
        database.close();
      }
      double.assertNoErrors();
    } finally {
      await bot.stop();
      await double.close();
    }
  });
});
