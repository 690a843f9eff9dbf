import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { buttonLabelled } from "../support/answerKey.ts";
import {
  enabledButtonLabels,
  isFinishedCompare,
  runIdOf,
  seedOf,
  sideNamed,
  sidesOf,
  statsOf,
} from "../support/compareMessages.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";
import { sharedModel, storiesEnv } from "../support/testModels.ts";

/*
 * `/compare`, `/template` and the lesson's Try it button on the real shared models: stories260K as
 * the base model and the same weights with SmolLM2-Instruct's ChatML template as the instruct one.
 */

const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");
const NAME = "tinyllamas-stories-260k";

describe.skipIf(!base.present || !instruct.present)(
  `/compare and /template through the Discord double, on stories260K${base.skipNote || instruct.skipNote}`,
  () => {
    let double: DiscordDouble;
    let bot: TestBot;

    beforeAll(async () => {
      double = await DiscordDouble.start();
      bot = await startTestBot(double, {
        env: storiesEnv({ COMPARE_DEFAULT_MAX_TOKENS: "40" }),
      });
      await bot.app.pairs.whenSettled();
    });

    afterAll(async () => {
      await bot?.stop();
      await double?.close();
    });

    it("GIVEN a story opening THEN the base model continues the text, the instruct model answers inside its template, and both end with their stats", async () => {
      const alice = double.user("alice");
      const message = await double
        .slash(alice, "compare", { prompt: "Once upon a time", max_tokens: 60, temperature: 0 })
        .waitForReply(isFinishedCompare, 15_000);

      expect(sidesOf(message).map((side) => side.name)).toEqual([`Base · ${NAME}`, `Instruct · ${NAME}`]);
      const baseSide = sideNamed(message, `Base · ${NAME}`);
      expect(baseSide.reply).toMatch(/^, there was/);
      expect(statsOf(baseSide)).toMatchObject({ tokens: 60, ended: "max tokens" });
      const instructSide = sideNamed(message, `Instruct · ${NAME}`);
      expect(instructSide.reply.length).toBeGreaterThan(0);
      const instructStats = statsOf(instructSide);
      expect(instructStats.tokens).toBeGreaterThan(0);
      expect(["max tokens", "end of turn"]).toContain(instructStats.ended);
      for (const stats of [statsOf(baseSide), instructStats]) {
        expect(stats.tokensPerSecond).toBeGreaterThan(0);
        expect(stats.firstTokenMs).toBeGreaterThanOrEqual(0);
      }
      expect(enabledButtonLabels(message)).toEqual(["Show prompts", "Re-roll"]);
      double.assertNoErrors();
    });

    it("GIVEN Show prompts THEN it shows the raw text fed to the base model and the ChatML conversation, ending with the generation prompt, fed to the instruct model", async () => {
      const bob = double.user("bob");
      const message = await double
        .slash(bob, "compare", { prompt: "Tell me a story", max_tokens: 10, temperature: 0 })
        .waitForReply(isFinishedCompare, 15_000);

      const shown = await double.click(bob, message, `compare:prompts:${runIdOf(message)}`).waitForReply();

      expect(shown.ephemeral).toBe(true);
      expect(shown.visibleTo).toBe(bob.id);
      expect(shown.text).toContain("Your prompt: Tell me a story");
      const fields = Object.fromEntries((shown.embeds[0]?.fields ?? []).map((f) => [f.name, f.value]));
      expect(Object.keys(fields)).toEqual([
        "Base model: raw text",
        "Instruct model: inside its chat template",
      ]);
      expect(fields["Base model: raw text"]).toBe("```\n<s>Tell me a story\n```");
      const wrapped = fields["Instruct model: inside its chat template"] ?? "";
      expect(wrapped).toContain("<|im_start|>system↵\n");
      expect(wrapped).toContain("<|im_start|>user↵\nTell me a story<|im_end|>↵\n");
      expect(wrapped.endsWith("<|im_start|>assistant↵\n\n```")).toBe(true);
      double.assertNoErrors();
    });

    it("GIVEN mode:three-way THEN a third column shows the instruct model on the raw text, and Show prompts lists all three", async () => {
      const carol = double.user("carol");
      const message = await double
        .slash(carol, "compare", {
          prompt: "Once upon a time",
          mode: "three-way",
          max_tokens: 20,
          temperature: 0,
        })
        .waitForReply(isFinishedCompare, 15_000);

      expect(sidesOf(message).map((side) => side.name)).toEqual([
        `Base · ${NAME}`,
        `Instruct · ${NAME}`,
        `Instruct on raw text · ${NAME}`,
      ]);
      for (const side of sidesOf(message)) expect(statsOf(side).tokens).toBeGreaterThan(0);
      // Same weights, same raw text, greedy: the instruct model without its template writes what the base model writes.
      expect(sideNamed(message, /^Instruct on raw text/).reply).toBe(sideNamed(message, /^Base/).reply);

      const shown = await double.click(carol, message, `compare:prompts:${runIdOf(message)}`).waitForReply();
      const names = shown.embeds[0]?.fields?.map((field) => field.name);
      expect(names).toEqual([
        "Base model: raw text",
        "Instruct model: inside its chat template",
        "Instruct model: raw text, no template",
      ]);
      double.assertNoErrors();
    });

    it("GIVEN /template THEN it shows the ChatML rendering of a sample chat and of the member's message, and says the base model has no template", async () => {
      const dave = double.user("dave");

      const sample = await double.slash(dave, "template").waitForReply();

      const [instructEmbed, baseEmbed] = sample.embeds;
      expect(instructEmbed?.title).toBe(`Chat template of ${NAME}`);
      expect(instructEmbed?.description).toContain(
        "<|im_start|>system↵\nYou are a helpful assistant.<|im_end|>↵\n<|im_start|>user↵\nWhat is a language model?<|im_end|>↵\n",
      );
      expect(instructEmbed?.description).toContain("<|im_start|>assistant↵\n\n```");
      expect(baseEmbed?.title).toBe(`Base model: ${NAME}`);
      expect(baseEmbed?.description).toMatch(/^No chat template at all\./);

      const own = await double.slash(dave, "template", { message: "Hi there" }).waitForReply();
      expect(own.embeds[0]?.description).toContain("<|im_start|>user↵\nHi there<|im_end|>↵\n");
      expect(own.embeds[0]?.description).not.toContain("What is a language model?");
      double.assertNoErrors();
    });

    it("GIVEN a finished comparison WHEN another member presses Re-roll THEN a new message runs the same prompt with a different seed, and the first stays as it was", async () => {
      const erin = double.user("erin");
      const frank = double.user("frank");
      const original = await double
        .slash(erin, "compare", { prompt: "The dog", max_tokens: 15, seed: 42 })
        .waitForReply(isFinishedCompare, 15_000);
      const revisionsBefore = original.revisions.length;

      const reroll = double.click(frank, original, `compare:reroll:${runIdOf(original)}`);
      const rerolled = await reroll.waitForReply(isFinishedCompare, 15_000);

      expect(rerolled.id).not.toBe(original.id);
      expect(rerolled.ephemeral).toBe(false);
      expect(rerolled.text).toContain("> The dog");
      expect(seedOf(original)).toBe(42);
      expect(seedOf(rerolled)).not.toBe(42);
      expect(rerolled.embeds[0]?.footer?.text).toContain("max 15 tokens");
      expect(runIdOf(rerolled)).not.toBe(runIdOf(original));
      expect(statsOf(sideNamed(rerolled, /^Base/)).tokens).toBe(15);
      expect(original.revisions).toHaveLength(revisionsBefore);
      double.assertNoErrors();
    });

    it("GIVEN a lesson's Try it button THEN it posts a comparison of the lesson's prompt in the channel", async () => {
      const grace = double.user("grace");
      const page = await double.slash(grace, "lesson", { name: "base-models" }).waitForReply();
      const demo = bot.app.services.content.getLesson("base-models")?.demos[0];
      const prompt = demo?.kind === "compare" ? demo.prompt : undefined;
      expect(prompt).toBe("What is the capital of France?");
      expect(page.text).toContain(`“${prompt}”`);

      const tryIt = double.click(grace, page, buttonLabelled(page, "Try it: /compare"));
      const compared = await tryIt.waitForReply(isFinishedCompare, 15_000);

      expect(compared.ephemeral).toBe(false);
      expect(compared.text).toContain(`> ${prompt}`);
      expect(compared.embeds[0]?.footer?.text).toContain("max 40 tokens");
      for (const side of sidesOf(compared)) expect(statsOf(side).tokens).toBeGreaterThan(0);
      expect(page.edits).toHaveLength(0);
      double.assertNoErrors();
    });
  },
);
