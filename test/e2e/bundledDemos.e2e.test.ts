import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tryItButtonId } from "../../src/lessons/renderLesson.ts";
import { DiscordDouble, type InteractionHandle } from "../discord/DiscordDouble.ts";
import { isFinishedCompare } from "../support/compareMessages.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";
import { sharedModel, storiesEnv } from "../support/testModels.ts";

/*
 * Every demo of every bundled lesson, pressed from the lesson's Try it button on the shared
 * stories260K pair: each must end in a public answer (a finished comparison, a chart, a template or
 * token pieces), never an error. Replies are kept short; this checks that the demos work, not what
 * a tiny model says.
 */

const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");

describe.skipIf(!base.present || !instruct.present)(
  `every bundled lesson demo through the Discord double${base.skipNote || instruct.skipNote}`,
  () => {
    let double: DiscordDouble;
    let bot: TestBot;

    beforeAll(async () => {
      double = await DiscordDouble.start({ defaultTimeoutMs: 30_000 });
      bot = await startTestBot(double, {
        env: storiesEnv({ COMPARE_DEFAULT_MAX_TOKENS: "8", COMPARE_PARALLEL: "2" }),
      });
      await bot.app.pairs.whenSettled();
    });

    afterAll(async () => {
      await bot?.stop();
      await double?.close();
    });

    it("GIVEN each lesson's Try it buttons THEN every demo posts its public answer", {
      timeout: 240_000,
    }, async () => {
      const lessons = bot.app.services.content.allLessons();
      expect(lessons.length).toBeGreaterThanOrEqual(30);
      const failures: string[] = [];
      // Each lesson by its own member, several at once (a member runs one comparison at a time);
      // a streamed reply ends at most a second after its last token, so this saves most of the wait.
      const runLesson = async (lessonIndex: number) => {
        const lesson = lessons[lessonIndex];
        if (!lesson) return;
        const member = double.user(`reader${lessonIndex}`);
        const page = await double.slash(member, "lesson", { name: lesson.id }).waitForReply();
        for (const [index, demo] of lesson.demos.entries()) {
          const press: InteractionHandle = double.click(member, page, tryItButtonId(lesson.id, demo, index));
          const answer = await press.waitForReply((message) =>
            demo.kind === "compare" ? isFinishedCompare(message) || message.ephemeral : true,
          );
          const what = `${lesson.id} demo ${index} (${demo.kind})`;
          if (answer.ephemeral) failures.push(`${what}: ${answer.text}`);
          else if (demo.kind === "nexttoken" && answer.attachments.length !== 1)
            failures.push(`${what}: no chart`);
        }
      };
      for (let start = 0; start < lessons.length; start += 6) {
        await Promise.all([0, 1, 2, 3, 4, 5].map((offset) => runLesson(start + offset)));
      }
      expect(failures).toEqual([]);
      double.assertNoErrors();
    });
  },
);
