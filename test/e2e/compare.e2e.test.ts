import path from "node:path";
import { InteractionResponseType } from "discord-api-types/v10";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type InteractionHandle, type StoredMessage } from "../discord/DiscordDouble.ts";
import {
  enabledButtonLabels,
  isFinishedCompare,
  runIdOf,
  sideNamed,
  sidesOf,
  statsOf,
} from "../support/compareMessages.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";
import { type TinyCompareModels, writeTinyCompareModels } from "../support/tinyCompareModels.ts";

/*
 * `/compare` end to end on the tiny self-built models, so it runs on a fresh clone. The base side
 * loops `lalala…` until max_tokens (about 1,500 tokens a second with one thread), long enough to
 * watch it stream, stop it and queue behind it; the instruct side answers `@everyone` and stops
 * at end of turn.
 */

const BASE = "Base · tiny-plain";
const INSTRUCT = "Instruct · tiny-chatml";

function finished(command: InteractionHandle): Promise<StoredMessage> {
  return command.waitForReply(isFinishedCompare, 15_000);
}

describe("/compare through the Discord double, on the tiny models", () => {
  const folder = temporaryFolder();
  let double: DiscordDouble;
  let models: TinyCompareModels;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    models = await writeTinyCompareModels({ reply: "@everyone", contextLength: 8192 });
  });

  afterAll(async () => {
    await double?.close();
    await models?.remove();
    folder.remove();
  });

  describe("with room to stream", () => {
    let bot: TestBot;

    beforeAll(async () => {
      bot = await startTestBot(double, {
        databasePath: path.join(folder.dir, "stream.sqlite"),
        env: { ...models.env, COMPARE_MAX_TOKENS_LIMIT: "8000", COMPARE_COOLDOWN_SECONDS: "0" },
      });
      await bot.app.pairs.whenSettled();
    });

    afterAll(async () => {
      await bot?.stop();
    });

    it("GIVEN a prompt THEN the reply streams in several edits, at most one a second, and ends with both replies and their stats", async () => {
      const alice = double.user("alice");
      const command = double.slash(alice, "compare", {
        prompt: "Once upon a time",
        max_tokens: 4096,
        temperature: 0,
      });

      const message = await finished(command);

      expect(message.ephemeral).toBe(false);
      const streamed = message.revisions
        .slice(0, -1)
        .map((revision) => sideNamed(revision.message, BASE))
        .filter((side) => side.generating && side.replyLength > 0);
      // About 3 s of generation at one edit a second: the text grows over several edits.
      expect(message.edits.length).toBeGreaterThanOrEqual(3);
      expect(streamed.length).toBeGreaterThanOrEqual(2);
      const lengths = streamed.map((side) => side.replyLength);
      expect(lengths).toEqual([...new Set(lengths)].sort((a, b) => a - b));
      for (const side of streamed) expect(side.footer).toBe("generating…");
      const editTimes = message.edits.map((edit) => edit.at);
      for (const [index, at] of editTimes.entries()) {
        if (index > 0) expect(at - (editTimes[index - 1] ?? 0)).toBeGreaterThanOrEqual(990);
      }

      const base = sideNamed(message, BASE);
      expect(base.reply.startsWith("lalalala")).toBe(true);
      expect(base.replyLength).toBe(4096);
      expect(statsOf(base)).toMatchObject({ tokens: 4096, ended: "max tokens" });
      expect(statsOf(base).tokensPerSecond).toBeGreaterThan(0);
      const instruct = sideNamed(message, INSTRUCT);
      expect(instruct.reply).toBe("@everyone");
      expect(statsOf(instruct)).toMatchObject({ tokens: 1, ended: "end of turn" });
      expect(message.embeds[0]?.footer?.text).toMatch(
        /^temperature 0 · top-p 0\.95 · seed \d+ · max 4096 tokens · same settings on every side$/,
      );
      expect(enabledButtonLabels(message)).toEqual(["Show prompts", "Re-roll"]);
      double.assertNoErrors();
    });

    // How fast Stop takes effect is measured by `npm run bench`; here: who may stop, and that it stops early.
    it("GIVEN a running comparison THEN only its author can Stop it, and it ends “stopped by the user” before max_tokens", async () => {
      const alice = double.user("alice");
      const bob = double.user("bob");
      const command = double.slash(alice, "compare", {
        prompt: "Once upon a time",
        max_tokens: 8000,
        temperature: 0,
      });
      // Wait until the instruct side has ended its short turn, so Stop only cuts the base side.
      const streaming = await command.waitForReply(
        (message) =>
          sidesOf(message).some((side) => side.name === BASE && side.generating && side.replyLength > 0) &&
          sideNamed(message, INSTRUCT).footer.includes("ended:"),
      );
      const stop = `compare:stop:${runIdOf(streaming)}`;

      const refusal = await double.click(bob, streaming, stop).waitForReply();
      expect(refusal.ephemeral).toBe(true);
      expect(refusal.visibleTo).toBe(bob.id);
      expect(refusal.text).toBe("⚠️ Only the member who started this comparison can stop it.");
      expect(isFinishedCompare(streaming)).toBe(false);

      const click = double.click(alice, streaming, stop);
      const stopped = await command.waitForReply((message) => message.text.includes("stopped by the user"));

      expect(isFinishedCompare(stopped)).toBe(true);
      const base = statsOf(sideNamed(stopped, BASE));
      expect(base.ended).toBe("stopped by the user");
      expect(base.tokens).toBeGreaterThan(0);
      expect(base.tokens).toBeLessThan(8000);
      expect(statsOf(sideNamed(stopped, INSTRUCT)).ended).toBe("end of turn");
      expect((await click.acknowledged()).type).toBe(InteractionResponseType.DeferredMessageUpdate);
      double.assertNoErrors();
    });

    it("GIVEN a member's comparison is running WHEN they start another THEN they alone are told to wait, and the first one completes", async () => {
      const carol = double.user("carol");
      const first = double.slash(carol, "compare", {
        prompt: "Once upon a time",
        max_tokens: 800,
        temperature: 0,
      });
      await first.waitForReply();

      const second = double.slash(carol, "compare", { prompt: "And another one" });
      const refusal = await second.waitForReply();

      expect(refusal.ephemeral).toBe(true);
      expect(refusal.visibleTo).toBe(carol.id);
      expect(refusal.text).toBe(
        "⚠️ You already have a comparison running or queued. Wait for it to finish, or stop it.",
      );
      expect(second.replies).toHaveLength(1);
      const completed = await finished(first);
      expect(statsOf(sideNamed(completed, BASE))).toMatchObject({ tokens: 800, ended: "max tokens" });
      double.assertNoErrors();
    });

    it("GIVEN one comparison at a time (COMPARE_PARALLEL=1) WHEN two members run /compare THEN the second message shows its queue position, then runs and completes", async () => {
      const dave = double.user("dave");
      const erin = double.user("erin");
      const running = double.slash(dave, "compare", {
        prompt: "Once upon a time",
        max_tokens: 2000,
        temperature: 0,
      });
      await running.waitForReply();

      const queued = double.slash(erin, "compare", { prompt: "Hello there", max_tokens: 20, temperature: 0 });
      const waiting = await queued.waitForReply();

      expect(waiting.ephemeral).toBe(false);
      const first = waiting.revisions[0]?.message;
      if (!first) throw new Error("the queued message has no first revision");
      expect(sidesOf(first).map((side) => [side.name, side.footer])).toEqual([
        [BASE, "queued · position 1"],
        [INSTRUCT, "queued · position 1"],
      ]);
      const ahead = await finished(running);
      const done = await finished(queued);
      expect(statsOf(sideNamed(done, BASE))).toMatchObject({ tokens: 20, ended: "max tokens" });
      expect(sideNamed(done, INSTRUCT).reply).toBe("@everyone");
      expect(statsOf(sideNamed(ahead, BASE))).toMatchObject({ tokens: 2000, ended: "max tokens" });
      expect(waiting.revisions[0]?.at).toBeLessThan(ahead.revisions.at(-1)?.at ?? 0);
      double.assertNoErrors();
    });

    it("GIVEN Discord answers a streaming edit with 429 THEN the bot waits out Retry-After and the stream still completes correctly", async () => {
      const frank = double.user("frank");
      const command = double.slash(frank, "compare", {
        prompt: "Once upon a time",
        max_tokens: 2000,
        temperature: 0,
      });
      const editRoute = `/webhooks/${double.applicationId}/${command.token}/messages/`;
      const limit = double.rateLimitNext(
        (request) => request.method === "PATCH" && request.path.startsWith(editRoute),
        1,
      );

      const message = await finished(command);

      expect(limit.limitedAt).not.toBeNull();
      expect(limit.retriedAt).not.toBeNull();
      expect((limit.retriedAt ?? 0) - (limit.limitedAt ?? 0)).toBeGreaterThanOrEqual(1000);
      expect(limit.limitedAt ?? 0).toBeLessThan(message.revisions.at(-1)?.at ?? 0);
      expect(double.requests.filter((request) => request.status === 429)).toHaveLength(1);
      expect(statsOf(sideNamed(message, BASE))).toMatchObject({ tokens: 2000, ended: "max tokens" });
      expect(sideNamed(message, BASE).replyLength).toBe(2000);
      expect(sideNamed(message, INSTRUCT).reply).toBe("@everyone");
      double.assertNoErrors();
    });

    it("GIVEN model output and a prompt with @everyone and a member mention THEN every version of the message was sent with no mentions allowed, and nobody is pinged", async () => {
      const grace = double.user("grace");
      const bob = double.user("bob");
      const command = double.slash(grace, "compare", {
        prompt: `@everyone look, <@${bob.id}>`,
        max_tokens: 40,
        temperature: 0,
      });

      const message = await finished(command);

      expect(sideNamed(message, INSTRUCT).reply).toBe("@everyone");
      expect(message.text).toContain(`> @everyone look, <@${bob.id}>`);
      expect(message.revisions.length).toBeGreaterThanOrEqual(2);
      for (const revision of message.revisions) {
        expect(revision.allowedMentions).toEqual({ parse: [], replied_user: false });
        expect(revision.message.mention_everyone).toBe(false);
        expect(revision.message.mentions).toEqual([]);
      }
      double.assertNoErrors();
    });

    it("GIVEN Show prompts pressed by any member THEN they alone see the ChatML-wrapped prompt of the instruct model and the raw text of the base model", async () => {
      const heidi = double.user("heidi");
      const ivan = double.user("ivan");
      const message = await finished(
        double.slash(heidi, "compare", { prompt: "Hello", max_tokens: 5, temperature: 0 }),
      );

      const shown = await double.click(ivan, message, `compare:prompts:${runIdOf(message)}`).waitForReply();

      expect(shown.ephemeral).toBe(true);
      expect(shown.visibleTo).toBe(ivan.id);
      const fields = Object.fromEntries((shown.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
      expect(fields).toEqual({
        "Base model: raw text": "```\n<s>Hello\n```",
        "Instruct model: inside its chat template":
          "```\n<s><|im_start|>user↵\nHello<|im_end|>↵\n<|im_start|>assistant↵\n\n```",
      });
      double.assertNoErrors();
    });
  });

  describe("with strict limits", () => {
    let bot: TestBot;

    beforeAll(async () => {
      bot = await startTestBot(double, {
        databasePath: path.join(folder.dir, "strict.sqlite"),
        env: {
          ...models.env,
          COMPARE_MAX_PROMPT_TOKENS: "8",
          COMPARE_MAX_TOKENS_LIMIT: "50",
          COMPARE_COOLDOWN_SECONDS: "60",
        },
      });
      await bot.app.pairs.whenSettled();
    });

    afterAll(async () => {
      await bot?.stop();
    });

    const compareRuns = () =>
      (bot.app.database.sqlite.prepare("select count(*) as n from compare_runs").get() as { n: number }).n;

    it("GIVEN a prompt over COMPARE_MAX_PROMPT_TOKENS THEN it is refused, to the member only, with its length and the limit", async () => {
      const judy = double.user("judy");
      const command = double.slash(judy, "compare", { prompt: "Once upon a time there was a cat" });

      const refusal = await command.waitForReply();

      expect(refusal.ephemeral).toBe(true);
      expect(refusal.text).toMatch(
        /^⚠️ Your prompt is \d+ tokens long; the limit is 8 tokens\. Please shorten it\.$/,
      );
      expect(command.replies).toHaveLength(1);
      expect(compareRuns()).toBe(0);
      double.assertNoErrors();
    });

    it("GIVEN max_tokens over COMPARE_MAX_TOKENS_LIMIT THEN it is refused with the limit", async () => {
      const judy = double.user("judy");
      const refusal = await double.slash(judy, "compare", { prompt: "Hi", max_tokens: 51 }).waitForReply();

      expect(refusal.ephemeral).toBe(true);
      expect(refusal.text).toBe("⚠️ max_tokens must be a whole number from 1 to 50; you sent 51.");
      expect(compareRuns()).toBe(0);
      double.assertNoErrors();
    });

    it("GIVEN a member's comparison just finished THEN their next one within the cooldown is refused with the seconds left", async () => {
      const kim = double.user("kim");
      const first = await finished(double.slash(kim, "compare", { prompt: "Hi", max_tokens: 5 }));
      expect(statsOf(sideNamed(first, BASE)).tokens).toBe(5);

      const refusal = await double.slash(kim, "compare", { prompt: "Hi again" }).waitForReply();

      expect(refusal.ephemeral).toBe(true);
      const seconds = Number(
        /Please wait (\d+) more seconds before the next comparison\./.exec(refusal.text)?.[1],
      );
      expect(seconds).toBeGreaterThan(50);
      expect(seconds).toBeLessThanOrEqual(60);
      expect(compareRuns()).toBe(1);
      double.assertNoErrors();
    });
  });

  describe("with the base model file missing", () => {
    let bot: TestBot;
    const missing = path.join(folder.dir, "models", "not-downloaded.gguf");

    beforeAll(async () => {
      bot = await startTestBot(double, {
        databasePath: path.join(folder.dir, "missing.sqlite"),
        env: { ...models.env, BASE_MODEL: missing, COMPARE_COOLDOWN_SECONDS: "0" },
      });
      await bot.app.pairs.whenSettled();
    });

    afterAll(async () => {
      await bot?.stop();
    });

    it("GIVEN /compare THEN the member is told which file is missing and how the operator gets it, and /lesson still works", async () => {
      const leo = double.user("leo");
      const refusal = await double.slash(leo, "compare", { prompt: "Hi" }).waitForReply();

      expect(refusal.ephemeral).toBe(true);
      expect(refusal.text).toBe(
        `⚠️ The base model file is missing: ${missing}. The bot's operator can get it with \`npm run models:pull\` (or point BASE_MODEL at a GGUF file). Lessons and quizzes still work.`,
      );
      const template = await double.slash(leo, "template").waitForReply();
      expect(template.text).toContain(`The base model file is missing: ${missing}`);
      const lesson = await double.slash(leo, "lesson", { name: "base-models" }).waitForReply();
      expect(lesson.ephemeral).toBe(true);
      expect(lesson.text).toMatch(/Snippet 1 of \d+ · Foundations/);
      double.assertNoErrors();
    });
  });
});
