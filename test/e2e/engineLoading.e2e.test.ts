import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { isFinishedCompare, sidesOf, statsOf } from "../support/compareMessages.ts";
import {
  findLlamaServer,
  freePort,
  type RunningLlamaServer,
  startLlamaServer,
  writeEnginePairsFile,
} from "../support/llamaServer.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";
import { enginePairEnv, sharedModel } from "../support/testModels.ts";

/*
 * A pair on a model server, seen from Discord: while the server is busy loading (here frozen with
 * SIGSTOP, so it accepts connections and answers nothing) the run's message says "Loading …" and
 * becomes the comparison once the server answers; with no server at all, /compare and /nexttoken
 * say which server failed and how, and lessons still work.
 */

const server = findLlamaServer();
const chatml = sharedModel("stories260K-chatml.gguf");

describe.skipIf(!server.present || !chatml.present)(
  `a pair on a model server through the Discord double${server.skipNote || chatml.skipNote}`,
  () => {
    let double: DiscordDouble;
    const folder = temporaryFolder("lm-tutor-engine-loading-");

    beforeAll(async () => {
      double = await DiscordDouble.start();
    });

    afterAll(async () => {
      await double?.close();
      folder.remove();
    });

    describe("while the server does not answer yet", () => {
      let running: RunningLlamaServer;
      let bot: TestBot;

      beforeAll(async () => {
        running = await startLlamaServer(server.path, { model: chatml.path, contextSize: 1024, parallel: 2 });
        running.process.kill("SIGSTOP");
        const file = writeEnginePairsFile(folder.dir, { base: running.url, instruct: running.url });
        bot = await startTestBot(double, { env: enginePairEnv(file) });
      });

      afterAll(async () => {
        running?.process.kill("SIGCONT");
        await bot?.stop();
        await running?.stop();
      });

      it("GIVEN /compare THEN its message says the pair is loading, then becomes the comparison once the server answers", async () => {
        const alice = double.user("alice");
        const command = double.slash(alice, "compare", {
          prompt: "Once upon a time",
          max_tokens: 10,
          temperature: 0,
        });
        const loading = await command.waitForReply((message) =>
          (message.embeds[0]?.description ?? "").includes("Loading Stories on llama-server …"),
        );
        expect(loading.ephemeral).toBe(false);
        running.process.kill("SIGCONT");
        const finished = await command.waitForReply(isFinishedCompare, 30_000);
        expect(finished.id).toBe(loading.id);
        for (const side of sidesOf(finished)) expect(statsOf(side).tokens).toBe(10);
        double.assertNoErrors();
      });
    });

    describe("with no server at the URL", () => {
      let bot: TestBot;
      let url: string;

      beforeAll(async () => {
        url = `http://127.0.0.1:${await freePort()}`;
        bot = await startTestBot(double, {
          env: enginePairEnv(writeEnginePairsFile(folder.dir, { base: url, instruct: url })),
        });
        await bot.app.pairs.whenSettled();
      });

      afterAll(async () => {
        await bot?.stop();
      });

      it("GIVEN /compare and /nexttoken THEN each says privately which server failed and how, and /lesson still works", async () => {
        const bob = double.user("bob");
        const refusal = await double.slash(bob, "compare", { prompt: "Hi" }).waitForReply();
        expect(refusal.ephemeral).toBe(true);
        expect(refusal.text).toBe(
          `⚠️ The base model of Stories on llama-server runs on the engine box (${url}), which failed: cannot be reached (ECONNREFUSED). Lessons and quizzes still work.`,
        );
        const walk = await double.slash(bob, "nexttoken", { prompt: "Hi" }).waitForReply();
        expect(walk.ephemeral).toBe(true);
        expect(walk.text).toContain(`(${url}), which failed: cannot be reached`);
        const lesson = await double.slash(bob, "lesson", { name: "base-models" }).waitForReply();
        expect(lesson.text).toMatch(/Snippet 1 of \d+/);
        double.assertNoErrors();
      });
    });
  },
);
