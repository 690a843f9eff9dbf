import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { command as quiz } from "../../commands/quiz.ts";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { UserError } from "../../src/errors.ts";
import { plainText } from "../../src/ui/richText.ts";
import type { View } from "../../src/ui/view.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import {
  alice,
  bob,
  buttonInvocation,
  buttonLabelled,
  buttonsOf,
  commandInvocation,
  expectValidButtonIds,
} from "./recordingReply.ts";
import { createLearningServices, type LearningServices } from "./testServices.ts";

const content = sampleContent();
const now = () => new Date("2025-03-10T12:00:00Z");
const pressQuizButton = quiz.buttons?.quiz;
const quizEnded = new UserError("This quiz has ended — start a new one with /quiz.");

let temporary: TemporaryDatabase;
let connection: OpenedDatabase;
let services: LearningServices;

beforeEach(() => {
  temporary = createTemporaryDatabase();
  connection = temporary.open();
  services = createLearningServices(connection, content, now);
});
afterEach(() => temporary.remove());

async function start(options: Record<string, string | number> = {}): Promise<View> {
  const invocation = commandInvocation("quiz", options);
  await quiz.execute(services, invocation);
  return invocation.reply.only("send");
}

async function press(customId: string, actor = alice): Promise<View> {
  if (!pressQuizButton) throw new Error("quiz has no button handler");
  const invocation = buttonInvocation(customId, actor);
  await pressQuizButton.press(services, invocation);
  return invocation.reply.only("update");
}

/** The letter of the right (or a wrong) answer, read from the choices listed in the embed. */
function letterOf(view: View, right: boolean): string {
  const lines = plainText(view.embeds?.[0]?.description ?? "").split("\n");
  const letter = lines
    .map((line) => /^\*\*([A-E])\.\*\* (.*)$/.exec(line))
    .find((match) => match && match[2]?.startsWith("Right answer") === right)?.[1];
  if (!letter) throw new Error("no such choice in the question");
  return letter;
}

describe("/quiz", () => {
  it("GIVEN a lesson THEN it shows question 1 with lettered choices and one button per letter", async () => {
    const view = await start({ lesson: "tokens", questions: 3 });
    expect(view.ephemeral).toBe(true);
    expect(view.content).toBeUndefined();
    expect(view.embeds?.[0]?.title).toBe("Question 1 of 3 · Tokens");
    expect(view.embeds?.[0]?.description).toMatch(
      /^Question q\d of tokens\?\n\n\*\*A\.\*\* .+\n\*\*B\.\*\* .+\n\*\*C\.\*\* .+\n\*\*D\.\*\* .+$/,
    );
    expect(buttonsOf(view).map((button) => button.label)).toEqual(["A", "B", "C", "D"]);
    expectValidButtonIds(view);
  });

  it("GIVEN more questions than the lesson has THEN it uses all of them and says so", async () => {
    const view = await start({ lesson: "tokens", questions: 10 });
    expect(view.content).toBe("Only 4 questions are available, so this quiz has 4 instead of 10.");
    expect(view.embeds?.[0]?.title).toBe("Question 1 of 4 · Tokens");
  });

  it("GIVEN no lesson THEN the default five questions are mixed from every lesson", async () => {
    expect((await start()).embeds?.[0]?.title).toBe("Question 1 of 5 · Mixed quiz");
  });

  it("GIVEN a wrong answer THEN the message shows it, the right answer and both explanations, with Next", async () => {
    const question = await start({ lesson: "tokens", questions: 2 });
    const view = await press(buttonLabelled(question, letterOf(question, false)).id);
    const embed = view.embeds?.[0];
    expect(embed?.title).toBe("❌ Not quite — Question 1 of 2 · Tokens");
    expect(embed?.color).toBe("danger");
    expect(embed?.description).toMatch(
      /You chose \*\*[A-D]\. Wrong answer \d to q\d\*\*\nWhy wrong \d of q\d is wrong\./,
    );
    expect(embed?.description).toMatch(
      /The answer is \*\*[A-D]\. Right answer to q\d\*\*\nWhy q\d is right\./,
    );
    expect(embed?.footer).toBe("Score so far: 0 of 1");
    expect(buttonsOf(view).map((button) => button.label)).toEqual(["Next"]);
  });

  it("GIVEN the same answer button pressed twice THEN the second press says the first answer counts", async () => {
    const question = await start({ lesson: "tokens" });
    const answer = buttonLabelled(question, letterOf(question, true)).id;
    await press(answer);
    const again = await press(answer);
    expect(again.content).toBe("You already answered this one — your first answer is the one that counts.");
    expect(again.embeds?.[0]?.title).toMatch(/^✅ Correct/);
    expect(connection.sqlite.prepare("select count(*) from score_events").pluck().get()).toBe(1);
  });

  it("GIVEN a whole quiz answered THEN Finish shows score, accuracy and the missed question pointing to /review", async () => {
    let view = await start({ lesson: "tokens", questions: 2 });
    const missedPrompt = plainText(view.embeds?.[0]?.description ?? "").split("\n")[0];
    view = await press(buttonLabelled(view, letterOf(view, false)).id);
    view = await press(buttonLabelled(view, "Next").id);
    expect(view.embeds?.[0]?.title).toBe("Question 2 of 2 · Tokens");
    view = await press(buttonLabelled(view, letterOf(view, true)).id);
    view = await press(buttonLabelled(view, "Finish").id);

    const embed = view.embeds?.[0];
    expect(embed?.title).toBe("Quiz finished · Tokens");
    expect(embed?.description).toContain("You got **1 of 2** right (50% accuracy).");
    expect(embed?.description).toContain("now in /review");
    expect(embed?.fields).toEqual([{ name: "Missed (1)", value: `• ${missedPrompt}` }]);
    expect(buttonsOf(view)).toEqual([]);
  });

  it("GIVEN another member presses an answer THEN it is refused politely and nothing is recorded", async () => {
    const question = await start({ lesson: "tokens" });
    await expect(press(buttonLabelled(question, "A").id, bob)).rejects.toThrow(
      new UserError("This quiz belongs to someone else — start your own with /quiz."),
    );
    expect(connection.sqlite.prepare("select count(*) from quiz_answers").pluck().get()).toBe(0);
  });

  it("GIVEN buttons of an unknown run (database reset) or a malformed id THEN they say the quiz has ended", async () => {
    await expect(press("quiz:answer:doesNotExist:0:1")).rejects.toThrow(quizEnded);
    await expect(press("quiz:next:doesNotExist")).rejects.toThrow(quizEnded);
    await expect(press("quiz:answer")).rejects.toThrow(quizEnded);
  });

  it("GIVEN an answer button for a question already passed by THEN it shows the recorded answer, not a new score", async () => {
    const first = await start({ lesson: "tokens", questions: 2 });
    const answerIds = buttonsOf(first).map((button) => button.id);
    await press(buttonLabelled(first, letterOf(first, true)).id);
    const stale = answerIds.find((id) => id !== buttonLabelled(first, letterOf(first, true)).id) ?? "";
    expect((await press(stale)).content).toMatch(/already answered/);
  });

  it("GIVEN an answer for a question the run has not reached THEN it is refused as stale", async () => {
    const first = await start({ lesson: "tokens", questions: 2 });
    const skipAhead = buttonLabelled(first, "A").id.replace(/:0:(\d)$/, ":1:$1");
    await expect(press(skipAhead)).rejects.toThrow(quizEnded);
  });

  it("GIVEN the bot restarts mid-quiz THEN the buttons on the open message keep working", async () => {
    const question = await start({ lesson: "tokens", questions: 2 });
    connection.close();
    connection = temporary.open();
    services = createLearningServices(connection, content, now);
    const view = await press(buttonLabelled(question, letterOf(question, true)).id);
    expect(view.embeds?.[0]?.title).toBe("✅ Correct — Question 1 of 2 · Tokens");
  });

  it("GIVEN an unknown lesson THEN the UserError names near matches", async () => {
    await expect(start({ lesson: "temprature" })).rejects.toThrow(/Did you mean `temperature`\?/);
  });
});
