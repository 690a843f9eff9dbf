import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { isFinishedCompare, runIdOf, sidesOf } from "../support/compareMessages.ts";
import { startTestBot, temporaryFolder } from "../support/startTestBot.ts";
import { sharedModel, storiesEnv } from "../support/testModels.ts";

/*
 * A run remembers its model pair in the database, so Re-roll after a restart runs on the same pair
 * and not on the default one.
 */

const stories = sharedModel("stories260K.gguf");
const chat = sharedModel("stories260K-chatml.gguf");
const tiny = sharedModel("llama-2-tiny-random.gguf");

describe.skipIf(!stories.present || !chat.present || !tiny.present)(
  `Re-roll after a restart keeps the run's pair${stories.skipNote || chat.skipNote || tiny.skipNote}`,
  () => {
    const folder = temporaryFolder();
    let double: DiscordDouble;
    let env: Record<string, string>;

    beforeAll(async () => {
      double = await DiscordDouble.start();
      const pairsFile = path.join(folder.dir, "pairs.json");
      writeFileSync(
        pairsFile,
        JSON.stringify({
          default: "stories",
          pairs: [
            { id: "stories", label: "Stories", base: stories.path, instruct: chat.path },
            { id: "tiny", label: "Tiny random", base: tiny.path, instruct: chat.path },
          ],
        }),
      );
      const { BASE_MODEL: _base, INSTRUCT_MODEL: _instruct, ...rest } = storiesEnv();
      env = { ...rest, MODEL_PAIRS_FILE: pairsFile };
    });

    afterAll(async () => {
      await double?.close();
      folder.remove();
    });

    it("GIVEN a /compare on a non-default pair WHEN the bot restarts and a member presses Re-roll THEN the new run uses that pair", async () => {
      const databasePath = path.join(folder.dir, "bot.sqlite");
      const alice = double.user("alice");
      const first = await startTestBot(double, { databasePath, env });
      const original = await double
        .slash(alice, "compare", { prompt: "Once upon a time", pair: "tiny", max_tokens: 4 })
        .waitForReply(isFinishedCompare, 30_000);
      const tinyBase = sidesOf(original)[0]?.name;
      expect(tinyBase).toMatch(/^Base · /);
      await first.stop();

      const second = await startTestBot(double, { databasePath, env });
      try {
        const rerolled = await double
          .click(double.user("bob"), original, `compare:reroll:${runIdOf(original)}`)
          .waitForReply(isFinishedCompare, 30_000);
        expect(sidesOf(rerolled)[0]?.name).toBe(tinyBase);
        const storiesRun = await double
          .slash(alice, "compare", { prompt: "Once upon a time", max_tokens: 4 })
          .waitForReply(isFinishedCompare, 30_000);
        expect(sidesOf(storiesRun)[0]?.name).not.toBe(tinyBase);
        double.assertNoErrors();
      } finally {
        await second.stop();
      }
    });
  },
);
