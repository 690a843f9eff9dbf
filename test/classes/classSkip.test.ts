import { afterEach, describe, expect, it } from "vitest";
import type { ClassQuestion, ClassService } from "../../src/classes/ClassService.ts";
import { storeRoundReveal } from "../../src/classes/storeRoundReveal.ts";
import { storeRoundSkip } from "../../src/classes/storeRoundSkip.ts";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { channelId, createClassService, guildId, inChannel } from "./classFixture.ts";

function rightPosition(question: ClassQuestion): number {
  return question.order.findIndex((index) => question.question.choices[index]?.correct === true);
}

async function startWithQuestion(service: ClassService) {
  const stage = await service.start(inChannel("host"), { lesson: "tokens", questionSeconds: 20 });
  await service.attachStage(stage.record.id, "stage-message");
  const question = await service.openQuestion(stage.record.id, inChannel("host"));
  await service.attachQuestion(stage.record.id, question.number, { channelId, messageId: "question-1" });
  return { question, classId: stage.record.id };
}

/** What the reveal's payout writes: review cards, streak days and leaderboard points. */
function payoutRows(database: OpenedDatabase): { cards: number; days: number; points: number } {
  const one = (table: string) =>
    (database.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  return { cards: one("review_cards"), days: one("activity_days"), points: one("score_events") };
}

function roundRow(database: OpenedDatabase, classId: string, number: number) {
  return database.sqlite
    .prepare("select revealed_at, skipped_at from class_rounds where class_id = ? and number = ?")
    .get(classId, number) as { revealed_at: number | null; skipped_at: number | null };
}

describe("skipping a class question", () => {
  let temporary: TemporaryDatabase;
  afterEach(() => temporary?.remove());

  it("GIVEN a right answer THEN the host's Skip voids the question: no points, no card, no total, and the next Question asks another one", async () => {
    temporary = createTemporaryDatabase();
    const database = temporary.open();
    const { service, clock, scheduler } = createClassService(database);
    const { question, classId } = await startWithQuestion(service);
    clock.advance(3_000);
    await service.answer(
      { classId, round: 1, position: rightPosition(question) },
      inChannel("ada"),
      clock.now(),
    );

    const skipped = await service.skip(classId, 1, inChannel("host"));
    expect(skipped).toMatchObject({ classId, number: 1, total: 4, prompt: question.question.prompt });
    // The deadline is disarmed; only the idle timer waits.
    expect(scheduler.pending).toEqual([120 * 60_000]);
    expect(payoutRows(database)).toEqual({ cards: 0, days: 0, points: 0 });
    expect(await service.answer({ classId, round: 1, position: 0 }, inChannel("bob"), clock.now())).toEqual({
      kind: "skipped",
    });
    await expect(service.reveal(classId, 1, inChannel("host"))).rejects.toThrow(/skipped by the host/);

    const board = await service.scoreboard(classId, inChannel("host"));
    expect(board).toMatchObject({ standings: [], questions: 0 });
    const stage = await service.restage(inChannel("host"));
    expect(stage).toMatchObject({ asked: 1, skipped: 1, joined: 0 });
    expect(stage.open).toBeUndefined();

    const next = await service.openQuestion(classId, inChannel("host"));
    expect(next.number).toBe(2);
    expect(next.question.id).not.toBe(question.question.id);
    clock.advance(2_000);
    await service.answer({ classId, round: 2, position: rightPosition(next) }, inChannel("ada"), clock.now());
    await service.answer(
      { classId, round: 2, position: (rightPosition(next) + 1) % next.order.length },
      inChannel("bob"),
      clock.now(),
    );
    await service.reveal(classId, 2, inChannel("host"));
    const summary = await service.end(classId, inChannel("host"));
    expect(summary.questions).toBe(1);
    expect(summary.participants).toBe(2);
    expect(summary.accuracy).toBe(0.5);
    expect(summary.hardest?.prompt).toBe(next.question.prompt);
    expect(service.history(guildId).classes[0]?.questions).toBe(1);
    expect(payoutRows(database).cards).toBe(2);
  });

  it("GIVEN a member who is not the host THEN Skip is refused politely; a Manage Server member may skip", async () => {
    temporary = createTemporaryDatabase();
    const { service } = createClassService(temporary.open());
    const { classId } = await startWithQuestion(service);
    await expect(service.skip(classId, 1, inChannel("ada"))).rejects.toThrow(/Only the host, Member host/);
    await expect(
      service.skip(classId, 1, inChannel("boss", { canManageServer: true })),
    ).resolves.toMatchObject({
      number: 1,
    });
    await expect(service.skip(classId, 1, inChannel("host"))).rejects.toThrow(/skipped by the host/);
  });

  it("GIVEN the deadline's reveal and the host's Skip at the same moment THEN exactly one of them happens", async () => {
    temporary = createTemporaryDatabase();
    const database = temporary.open();
    const { service, clock, scheduler, editor } = createClassService(database);
    const { question, classId } = await startWithQuestion(service);
    await service.answer(
      { classId, round: 1, position: rightPosition(question) },
      inChannel("ada"),
      clock.now(),
    );
    clock.advance(20_000);
    // The timer's reveal starts first; the skip arrives while it is storing.
    expect(scheduler.runDue(20_000)).toBe(1);
    await expect(service.skip(classId, 1, inChannel("host"))).rejects.toThrow(
      /closing already|already been revealed/,
    );
    await expect.poll(() => editor.last("question-1")?.embeds?.[0]?.fields?.[0]?.name).toBe("Right");
    expect(roundRow(database, classId, 1).skipped_at).toBeNull();
    expect(payoutRows(database)).toMatchObject({ cards: 1, points: 1 });
  });

  it("GIVEN a skip and a reveal of the same round stored from two connections THEN the first wins and the second changes nothing", async () => {
    temporary = createTemporaryDatabase();
    const database = temporary.open();
    const other = temporary.open();
    const { service, clock } = createClassService(database);
    const { question, classId } = await startWithQuestion(service);
    await service.answer(
      { classId, round: 1, position: rightPosition(question) },
      inChannel("ada"),
      clock.now(),
    );
    await service.close();
    const round = { classId, number: 1, questionId: question.question.id };
    const outcomes = await Promise.all([
      storeRoundSkip(database.db, round, clock.now()),
      storeRoundReveal(other.db, round, clock.now()),
    ]);
    expect(outcomes.filter(Boolean)).toHaveLength(1);
    const row = roundRow(database, classId, 1);
    expect(row.revealed_at).not.toBeNull();
    if (outcomes[0]) {
      expect(row.skipped_at).not.toBeNull();
      expect(payoutRows(database)).toEqual({ cards: 0, days: 0, points: 0 });
    } else {
      expect(row.skipped_at).toBeNull();
      expect(payoutRows(database)).toMatchObject({ cards: 1, points: 1 });
    }
  });

  it("GIVEN a skipped question THEN after a restart it stays skipped, its timer is not re-armed and its clicks say so", async () => {
    temporary = createTemporaryDatabase();
    const first = createClassService(temporary.open());
    const { classId } = await startWithQuestion(first.service);
    await first.service.skip(classId, 1, inChannel("host"));
    await first.service.close();

    const second = createClassService(temporary.open());
    second.service.resume();
    expect(second.scheduler.pending).toEqual([120 * 60_000]);
    expect(
      await second.service.answer({ classId, round: 1, position: 0 }, inChannel("ada"), second.clock.now()),
    ).toEqual({
      kind: "skipped",
    });
    await expect(second.service.reveal(classId, 1, inChannel("host"))).rejects.toThrow(/skipped by the host/);
    const next = await second.service.openQuestion(classId, inChannel("host"));
    expect(next.number).toBe(2);
    expect((await second.service.scoreboard(classId, inChannel("host"))).questions).toBe(0);
  });
});
