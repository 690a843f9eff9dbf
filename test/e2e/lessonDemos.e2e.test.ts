import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { buttonLabelled } from "../support/answerKey.ts";
import { isFinishedCompare } from "../support/compareMessages.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";
import { sharedModel, storiesEnv } from "../support/testModels.ts";

/*
 * A lesson's demos run from its Try it buttons, in the channel, as the matching commands would: a
 * blind /compare, a /nexttoken walk and a /template; and /tokenize. On the shared stories260K models.
 */

const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");

const lesson = `id: demo-lesson
title: Demo lesson
summary: A lesson with one demo of each kind.
order: 1
demos:
  - kind: compare
    prompt: Once upon a time
    blind: true
  - kind: nexttoken
    prompt: Once upon a time
  - kind: template
    message: What is a token?
sources:
  - title: Attention Is All You Need
    url: https://arxiv.org/abs/1706.03762
snippets:
  - title: One
    body: The first idea.
  - title: Two
    body: The second idea.
  - title: Three
    body: The third idea.
quiz:
${["a", "b", "c", "d"]
  .map(
    (id, index) => `  - id: q-${id}
    question: Which one is ${id}?
    choices:
      - text: This one
        correct: ${index % 2 === 0}
        explanation: It is the one asked about when the question is even.
      - text: That one
        correct: ${index % 2 === 1}
        explanation: It is the one asked about when the question is odd.
`,
  )
  .join("")}`;

describe.skipIf(!base.present || !instruct.present)(
  `lesson demos through the Discord double, on stories260K${base.skipNote || instruct.skipNote}`,
  () => {
    let double: DiscordDouble;
    let bot: TestBot;
    let contentDir: string;

    beforeAll(async () => {
      contentDir = await mkdtemp(path.join(tmpdir(), "lm-tutor-demos-"));
      await mkdir(path.join(contentDir, "demo"));
      await writeFile(
        path.join(contentDir, "demo", "track.yaml"),
        "id: demo\ntitle: Demos\ndescription: Demo track.\norder: 1\n",
      );
      await writeFile(path.join(contentDir, "demo", "lesson.yaml"), lesson);
      double = await DiscordDouble.start();
      bot = await startTestBot(double, {
        contentDir,
        env: storiesEnv({ COMPARE_DEFAULT_MAX_TOKENS: "20" }),
      });
      await bot.app.pairs.whenSettled();
    });

    afterAll(async () => {
      await bot?.stop();
      await double?.close();
      await rm(contentDir, { recursive: true, force: true });
    });

    it("GIVEN the lesson's last page THEN it lists its demos under Try it and its sources under Further reading", async () => {
      const ada = double.user("ada");
      const first = await double.slash(ada, "lesson", { name: "demo-lesson" }).waitForReply();
      expect(first.text).toContain("Try it: /nexttoken");
      expect(first.text).toContain("“What is a token?”");
      const next = await double.click(ada, first, buttonLabelled(first, "Next")).waitForReply();
      const last = await double.click(ada, next, buttonLabelled(next, "Next")).waitForReply();
      expect(last.text).toContain("Further reading");
      expect(last.text).toContain("[Attention Is All You Need](https://arxiv.org/abs/1706.03762)");
      double.assertNoErrors();
    });

    it("GIVEN /tokenize strawberry THEN the channel sees both models' pieces, ids and counts, and that they share a tokenizer", async () => {
      const cy = double.user("cy");
      const message = await double.slash(cy, "tokenize", { text: "strawberry" }).waitForReply();
      expect(message.ephemeral).toBe(false);
      const fields = message.embeds[0]?.fields ?? [];
      expect(fields.map((field) => field.name)).toEqual([
        expect.stringMatching(/^Base · .+: \d+ tokens \+ BOS$/),
        expect.stringMatching(/^Instruct · .+: \d+ tokens \+ BOS$/),
      ]);
      expect(fields[0]?.value).toContain("⟦<s>⟧│");
      expect(message.text).toContain("Both models use the same tokenizer");
      double.assertNoErrors();
    });

    it("GIVEN each Try it button THEN the channel sees a blind vote, a next-token chart and the chat template", async () => {
      const ben = double.user("ben");
      const page = await double.slash(ben, "lesson", { name: "demo-lesson" }).waitForReply();
      expect(page.ephemeral).toBe(true);

      const vote = await double
        .click(ben, page, buttonLabelled(page, "Try it: /compare"))
        .waitForReply(isFinishedCompare, 15_000);
      expect(vote.ephemeral).toBe(false);
      expect(vote.text).toContain("Reply A");
      expect(vote.text).toContain("Blind vote");

      const chart = await double.click(ben, page, buttonLabelled(page, "Try it: /nexttoken")).waitForReply();
      expect(chart.ephemeral).toBe(false);
      expect(chart.attachments.some((file) => file.filename.endsWith(".png"))).toBe(true);

      const template = await double
        .click(ben, page, buttonLabelled(page, "Try it: /template"))
        .waitForReply();
      expect(template.ephemeral).toBe(false);
      expect(template.text).toContain("What is a token?");
      expect(template.text).toContain("<|im_start|>");
      double.assertNoErrors();
    });
  },
);
