import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { buttonLabelled } from "../support/answerKey.ts";
import { isFinishedCompare } from "../support/compareMessages.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";
import { sharedModel, storiesEnv } from "../support/testModels.ts";

/* The host's Demo button runs the lesson's demos in turn, publicly, on the shared stories260K models. */

const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");

const lesson = `id: class-demo
title: Class demo
summary: A lesson whose demos a class runs.
order: 1
demos:
  - kind: compare
    prompt: Once upon a time
    blind: true
  - kind: nexttoken
    prompt: Once upon a time
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
    (id) => `  - id: q-${id}
    question: Which one is ${id}?
    choices:
      - text: This one
        correct: true
        explanation: It is the one asked about.
      - text: That one
        correct: false
        explanation: It is not the one asked about.
`,
  )
  .join("")}`;

describe.skipIf(!base.present || !instruct.present)(
  `class demos through the Discord double, on stories260K${base.skipNote || instruct.skipNote}`,
  () => {
    let double: DiscordDouble;
    let bot: TestBot;
    let contentDir: string;

    beforeAll(async () => {
      contentDir = await mkdtemp(path.join(tmpdir(), "lm-tutor-class-demo-"));
      await mkdir(path.join(contentDir, "demo"));
      await writeFile(
        path.join(contentDir, "demo", "track.yaml"),
        "id: demo\ntitle: Demos\ndescription: Demo track.\norder: 1\n",
      );
      await writeFile(path.join(contentDir, "demo", "lesson.yaml"), lesson);
      double = await DiscordDouble.start();
      bot = await startTestBot(double, { contentDir, env: storiesEnv({ COMPARE_DEFAULT_MAX_TOKENS: "20" }) });
      await bot.app.models.whenSettled();
    });

    afterAll(async () => {
      await bot?.stop();
      await double?.close();
      await rm(contentDir, { recursive: true, force: true });
    });

    it("GIVEN the host presses Demo twice THEN the room sees the blind /compare, then the /nexttoken walk; a member pressing it is refused", async () => {
      const host = double.user("teacher");
      double.grant(host, PermissionFlagsBits.ManageMessages);
      const stage = await double
        .slash(host, "class", { lesson: "class-demo" }, { subcommand: "start" })
        .waitForReply();
      const refused = await double
        .click(double.user("pupil"), stage, buttonLabelled(stage, "Demo"))
        .waitForReply();
      expect(refused.ephemeral).toBe(true);
      expect(refused.text).toContain("Only the host");

      const vote = await double
        .click(host, stage, buttonLabelled(stage, "Demo"))
        .waitForReply(isFinishedCompare, 15_000);
      expect(vote.ephemeral).toBe(false);
      expect(vote.text).toContain("Blind vote");

      const walk = await double.click(host, stage, buttonLabelled(stage, "Demo")).waitForReply();
      expect(walk.ephemeral).toBe(false);
      expect(walk.attachments.some((file) => file.filename.endsWith(".png"))).toBe(true);
      double.assertNoErrors();
    });
  },
);
