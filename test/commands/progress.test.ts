import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { command as progress } from "../../commands/progress.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import { alice, bob, commandInvocation, guildId } from "./recordingReply.ts";
import { createLearningServices, type LearningServices } from "./testServices.ts";

const content = sampleContent();
const now = () => new Date("2025-03-10T12:00:00Z");

let temporary: TemporaryDatabase;
let services: LearningServices;

beforeEach(() => {
  temporary = createTemporaryDatabase();
  services = createLearningServices(temporary.open(), content, now);
});
afterEach(() => temporary.remove());

async function showProgress(options: Record<string, typeof bob> = {}) {
  const invocation = commandInvocation("progress", options);
  await progress.execute(services, invocation);
  return invocation.reply.only("send");
}

describe("/progress", () => {
  it("GIVEN a member who read a lesson and missed one of two quiz questions THEN the card shows it all", async () => {
    const member = { guildId, userId: alice.id };
    await services.lessons.complete(member, "tokens");
    let step = await services.quiz.start(member, { lesson: "tokens", questions: 2 });
    await services.quiz.answer(member, {
      runId: step.runId,
      questionIndex: 0,
      position: step.choices.findIndex((c) => c.correct),
    });
    const next = services.quiz.resume(member, step.runId);
    if (next.kind !== "question") throw new Error("expected a second question");
    step = next;
    await services.quiz.answer(member, {
      runId: step.runId,
      questionIndex: 1,
      position: step.choices.findIndex((c) => !c.correct),
    });

    const view = await showProgress();
    expect(view.ephemeral).toBe(true);
    expect(view.embeds?.[0]?.title).toBe("Progress · Alice");
    expect(
      Object.fromEntries(view.embeds?.[0]?.fields?.map((field) => [field.name, field.value]) ?? []),
    ).toEqual({
      "Lessons read": "1 / 3",
      "Quizzes finished": "1",
      "Questions answered": "2",
      Accuracy: "50%",
      "Reviews done": "0",
      "Reviews due": "1 — run /review",
      Streak: "1 day (longest 1 day)",
      Points: "1",
      Tracks: "· Foundations: 1 / 2\n· Sampling: 0 / 1",
    });
    const card = view.files?.[0];
    expect(card?.data.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(view.embeds?.[0]?.imageFile).toBe(card?.name);
    expect(card?.description).toContain("50%");
  });

  it("GIVEN another member chosen THEN it shows their progress under their name", async () => {
    const view = await showProgress({ member: bob });
    expect(view.embeds?.[0]?.title).toBe("Progress · Bob");
    expect(view.embeds?.[0]?.fields?.find((field) => field.name === "Accuracy")?.value).toBe("—");
  });
});
