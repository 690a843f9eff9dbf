import { afterEach, describe, expect, it } from "vitest";
import type { ClassQuestion, ClassService } from "../../src/classes/ClassService.ts";
import { UserError } from "../../src/errors.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { channelId, createClassService, inChannel } from "./classFixture.ts";

function rightPosition(question: ClassQuestion): number {
  return question.order.findIndex((index) => question.question.choices[index]?.correct === true);
}

async function startWithQuestion(service: ClassService, options: { questions?: number } = {}) {
  const stage = await service.start(inChannel("host"), { lesson: "tokens", questionSeconds: 20, ...options });
  await service.attachStage(stage.record.id, "stage-message");
  const question = await service.openQuestion(stage.record.id, inChannel("host"));
  await service.attachQuestion(stage.record.id, question.number, { channelId, messageId: "question-1" });
  return { stage, question, classId: stage.record.id };
}

describe("ClassService", () => {
  let temporary: TemporaryDatabase;
  afterEach(() => temporary?.remove());

  it("GIVEN a right answer 5 s into a 20 s question THEN it is locked in and earns 875 points at the reveal", async () => {
    temporary = createTemporaryDatabase();
    const { service, clock } = createClassService(temporary.open());
    const { question, classId } = await startWithQuestion(service);
    const at = new Date(clock.now().getTime() + 5_000);
    const outcome = await service.answer(
      { classId, round: 1, position: rightPosition(question) },
      inChannel("ada"),
      at,
    );
    expect(outcome).toEqual({ kind: "locked", position: rightPosition(question) });
    clock.advance(6_000);
    const reveal = await service.reveal(classId, 1, inChannel("host"));
    expect(reveal.right).toBe(1);
    expect(reveal.fastest).toEqual([{ userId: "ada", name: "Member ada", elapsedMs: 5_000, points: 875 }]);
    const board = await service.scoreboard(classId, inChannel("host"));
    expect(board.standings).toEqual([
      { rank: 1, userId: "ada", name: "Member ada", points: 875, right: 1, answered: 1 },
    ]);
  });

  it("GIVEN a click after the deadline, or from another channel THEN it is not counted", async () => {
    temporary = createTemporaryDatabase();
    const { service, clock } = createClassService(temporary.open());
    const { classId } = await startWithQuestion(service);
    const late = new Date(clock.now().getTime() + 20_001);
    expect(await service.answer({ classId, round: 1, position: 0 }, inChannel("ada"), late)).toEqual({
      kind: "closed",
    });
    await expect(
      service.answer(
        { classId, round: 1, position: 0 },
        inChannel("bob", { channelId: "elsewhere" }),
        clock.now(),
      ),
    ).rejects.toThrow(/another channel/);
    await expect(
      service.answer({ classId, round: 1, position: 9 }, inChannel("cy"), clock.now()),
    ).rejects.toThrow(UserError);
    const reveal = await service.reveal(classId, 1, inChannel("host"));
    expect(reveal.answered).toBe(0);
  });

  it("GIVEN the deadline timer fires THEN the question is revealed on its message, and a later host Reveal is told so", async () => {
    temporary = createTemporaryDatabase();
    const { service, scheduler, editor } = createClassService(temporary.open());
    const { classId } = await startWithQuestion(service);
    expect(scheduler.pending).toEqual([20_000, 120 * 60_000]);
    expect(scheduler.runDue(20_000)).toBe(1);
    await expect.poll(() => editor.last("question-1")?.embeds?.[0]?.fields?.[0]?.name).toBe("Right");
    await expect(service.reveal(classId, 1, inChannel("host"))).rejects.toThrow(/already been revealed/);
  });

  it("GIVEN a question is open THEN the next one waits, and only the host may open it", async () => {
    temporary = createTemporaryDatabase();
    const { service } = createClassService(temporary.open());
    const { classId } = await startWithQuestion(service);
    await expect(service.openQuestion(classId, inChannel("host"))).rejects.toThrow(/still open/);
    await expect(service.openQuestion(classId, inChannel("ada"))).rejects.toThrow(/Only the host/);
    // Manage Server may end a class, not run it.
    await expect(service.openQuestion(classId, inChannel("boss", { canManageServer: true }))).rejects.toThrow(
      /Only the host/,
    );
  });

  it("GIVEN a lesson with fewer questions than asked THEN the stage says so and the class stops at the last one", async () => {
    temporary = createTemporaryDatabase();
    const { service } = createClassService(temporary.open());
    const stage = await service.start(inChannel("host"), { lesson: "tokens", questions: 6 });
    expect(stage.shortfall).toEqual({ requested: 6, available: 4 });
    expect(stage.record.questionCount).toBe(4);
    for (let round = 1; round <= 4; round++) {
      await service.openQuestion(stage.record.id, inChannel("host"));
      await service.reveal(stage.record.id, round, inChannel("host"));
    }
    await expect(service.openQuestion(stage.record.id, inChannel("host"))).rejects.toThrow(
      /last question \(4 of 4\)\. “Tokens” has only 4 questions, fewer than the 6 you asked for/,
    );
  });

  it("GIVEN a running class THEN a second start in the channel is refused, and one in another channel is not", async () => {
    temporary = createTemporaryDatabase();
    const { service } = createClassService(temporary.open());
    await service.start(inChannel("host"), { lesson: "tokens" });
    await expect(service.start(inChannel("other"), { lesson: "tokens" })).rejects.toThrow(
      /already running here, hosted by Member host/,
    );
    await service.start(inChannel("other", { channelId: "thread-1" }), { lesson: "tokens" });
  });

  it("GIVEN an ended class THEN its buttons say it has ended, and members who answered still hear which answer counted", async () => {
    temporary = createTemporaryDatabase();
    const { service, clock } = createClassService(temporary.open());
    const { classId } = await startWithQuestion(service);
    await service.answer({ classId, round: 1, position: 2 }, inChannel("ada"), clock.now());
    const summary = await service.end(classId, inChannel("boss", { canManageServer: true }));
    expect(summary.endReason).toBe("admin");
    expect(summary.questions).toBe(1);
    expect(summary.participants).toBe(1);
    expect(await service.answer({ classId, round: 1, position: 0 }, inChannel("ada"), clock.now())).toEqual({
      kind: "repeat",
      position: 2,
    });
    expect(await service.answer({ classId, round: 1, position: 0 }, inChannel("bob"), clock.now())).toEqual({
      kind: "closed",
    });
    await expect(service.turnPage(classId, inChannel("host"), 1)).rejects.toThrow(/has ended/);
    await expect(service.end(classId, inChannel("host"))).rejects.toThrow(/has ended/);
  });

  it("GIVEN no host action for the idle time THEN the class ends itself and its stage says why", async () => {
    temporary = createTemporaryDatabase();
    const { service, clock, scheduler, editor } = createClassService(temporary.open(), { idleMinutes: 30 });
    const stage = await service.start(inChannel("host"), { lesson: "tokens" });
    await service.attachStage(stage.record.id, "stage-message");
    clock.advance(29 * 60_000);
    await service.turnPage(stage.record.id, inChannel("host"), 1);
    clock.advance(2 * 60_000);
    // The timer armed at start fires, finds recent activity, and re-arms.
    scheduler.runDue(30 * 60_000);
    await expect.poll(() => scheduler.pending.length).toBe(1);
    expect(service.runningIn(channelId)).toBeDefined();
    clock.advance(30 * 60_000);
    scheduler.runDue(Number.POSITIVE_INFINITY);
    await expect.poll(() => service.runningIn(channelId)).toBeUndefined();
    await expect
      .poll(() => editor.last("stage-message")?.embeds?.[0]?.footer)
      .toBe("This class ended itself after a long idle time.");
  });

  it("GIVEN the host hands over THEN the new host runs the class and the old one is refused", async () => {
    temporary = createTemporaryDatabase();
    const { service } = createClassService(temporary.open());
    const stage = await service.start(inChannel("host"), { lesson: "tokens" });
    await service.handOver(inChannel("host"), { id: "next", displayName: "Next host" });
    await expect(service.turnPage(stage.record.id, inChannel("host"), 1)).rejects.toThrow(
      /Only the host, Next host/,
    );
    const page = await service.turnPage(stage.record.id, inChannel("next"), 1);
    expect(page.record.snippetIndex).toBe(1);
  });

  it("GIVEN the channel is deleted THEN its class ends without touching its messages", async () => {
    temporary = createTemporaryDatabase();
    const { service, editor } = createClassService(temporary.open());
    const { classId } = await startWithQuestion(service);
    const editsBefore = editor.edits.length;
    await service.channelDeleted(channelId);
    expect(service.runningIn(channelId)).toBeUndefined();
    expect(editor.edits.length).toBe(editsBefore);
    await expect(service.scoreboard(classId, inChannel("host"))).rejects.toThrow(/has ended/);
  });
});
