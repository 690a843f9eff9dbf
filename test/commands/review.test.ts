import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { command as review } from "../../commands/review.ts";
import { UserError } from "../../src/errors.ts";
import { plainText } from "../../src/ui/richText.ts";
import type { View } from "../../src/ui/view.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import {
  alice,
  bob,
  buttonInvocation,
  buttonsOf,
  commandInvocation,
  expectValidButtonIds,
  guildId,
} from "./recordingReply.ts";
import { createLearningServices, type LearningServices } from "./testServices.ts";

const content = sampleContent();
let clock = new Date("2025-03-10T12:00:00Z");
const pressReviewButton = review.buttons?.review;

let temporary: TemporaryDatabase;
let services: LearningServices;

beforeEach(() => {
  clock = new Date("2025-03-10T12:00:00Z");
  temporary = createTemporaryDatabase();
  services = createLearningServices(temporary.open(), content, () => clock);
});
afterEach(() => temporary.remove());

async function openReview(): Promise<View> {
  const invocation = commandInvocation("review");
  await review.execute(services, invocation);
  return invocation.reply.only("send");
}

async function press(customId: string, actor = alice): Promise<View> {
  if (!pressReviewButton) throw new Error("review has no button handler");
  const invocation = buttonInvocation(customId, actor);
  await pressReviewButton.press(services, invocation);
  return invocation.reply.only("update");
}

/** Answers the first `count` questions of a `tokens` quiz, getting them `right` or wrong. */
async function quizOnTokens(count: number, right: boolean): Promise<void> {
  const member = { guildId, userId: alice.id };
  let step = await services.quiz.start(member, { lesson: "tokens", questions: count });
  for (let index = 0; index < count; index++) {
    await services.quiz.answer(member, {
      runId: step.runId,
      questionIndex: index,
      position: step.choices.findIndex((choice) => choice.correct === right),
    });
    const next = services.quiz.resume(member, step.runId);
    if (next.kind === "question") step = next;
  }
}

/** The button whose letter shows the right (or a wrong) answer in the card embed at `embedIndex`. */
function answerButton(view: View, right: boolean, embedIndex = 0): string {
  const lines = plainText(view.embeds?.[embedIndex]?.description ?? "").split("\n");
  const letter = lines
    .map((line) => /^\*\*([A-E])\.\*\* (.*)$/.exec(line))
    .find((match) => match && match[2]?.startsWith("Right answer") === right)?.[1];
  const button = buttonsOf(view).find((candidate) => candidate.label === letter);
  if (!button) throw new Error("no such answer button");
  return button.id;
}

describe("/review", () => {
  it("GIVEN nothing answered yet THEN it says there is nothing to review and suggests /quiz", async () => {
    const view = await openReview();
    expect(view.ephemeral).toBe(true);
    expect(view.embeds?.[0]?.description).toBe(
      "Nothing to review yet — answer some /quiz questions and they will show up here.",
    );
    expect(buttonsOf(view)).toEqual([]);
  });

  it("GIVEN only correctly answered questions THEN it says when the next review is due", async () => {
    await quizOnTokens(2, true);
    expect((await openReview()).embeds?.[0]?.description).toBe(
      "Nothing is due right now. Your next review is due in 2 days.",
    );
  });

  it("GIVEN a missed quiz question THEN it is served with lettered choice buttons", async () => {
    await quizOnTokens(1, false);
    const view = await openReview();
    expect(view.embeds?.[0]).toMatchObject({ title: "Review", footer: "1 card due · from “Tokens”" });
    expect(buttonsOf(view).map((button) => button.label)).toEqual(["A", "B", "C", "D"]);
    expectValidButtonIds(view);
  });

  it("GIVEN the right answer THEN the message shows the result and then the next due card", async () => {
    await quizOnTokens(2, false);
    const view = await press(answerButton(await openReview(), true));
    expect(view.embeds?.[0]).toMatchObject({ title: "✅ Correct", footer: "This card comes back in 1 day." });
    expect(view.embeds?.[1]).toMatchObject({ title: "Review", footer: "1 card due · from “Tokens”" });
    expect(buttonsOf(view)).toHaveLength(4);
  });

  it("GIVEN the last due card answered wrongly THEN it shows the right answer and that all are caught up", async () => {
    await quizOnTokens(1, false);
    const view = await press(answerButton(await openReview(), false));
    expect(view.embeds?.[0]?.title).toBe("❌ Not quite");
    expect(view.embeds?.[0]?.description).toMatch(
      /The answer is \*\*Right answer to q\d\*\*\nWhy q\d is right\./,
    );
    expect(view.embeds?.[1]).toMatchObject({
      title: "All caught up 🎉",
      description:
        "Nothing else for now. The card you just missed comes back in 1 minute: run /review again then.",
    });
  });

  it("GIVEN an answer pressed twice THEN the second press says it was counted once", async () => {
    await quizOnTokens(1, false);
    const answer = answerButton(await openReview(), true);
    await press(answer);
    const again = await press(answer);
    expect(again.content).toBe("You already answered this card — it was counted once.");
    expect(services.progress.summarize({ guildId, userId: alice.id }).reviewsDone).toBe(1);
  });

  it("GIVEN another member presses a review button THEN it is refused politely", async () => {
    await quizOnTokens(1, false);
    const answer = answerButton(await openReview(), true);
    await expect(press(answer, bob)).rejects.toThrow(
      new UserError("These are someone else's reviews — run /review to see yours."),
    );
  });

  it("GIVEN a review button for a card that no longer exists THEN it says the card has moved on", async () => {
    await expect(press(`review:answer:${alice.id}:1:0:tokens/q1`)).rejects.toThrow(/has moved on/);
  });
});
