import { and, asc, count, countDistinct, desc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import type { AppDatabase } from "../db/openDatabase.ts";
import { classAnswers, classes, classRounds } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";

export type ClassRecord = typeof classes.$inferSelect;
export type RoundRecord = typeof classRounds.$inferSelect;
export type AnswerRecord = typeof classAnswers.$inferSelect;

/** One member's totals over a class's revealed rounds, before ranking. */
export interface MemberTotals {
  userId: string;
  name: string;
  points: number;
  right: number;
  answered: number;
}

/** How one round went: answers and right answers. */
export interface RoundTotals {
  number: number;
  answered: number;
  right: number;
}

/**
 * Classes, their rounds and answers in SQLite: the reads and the small writes of class mode. The
 * batched answer inserts ({@link writeClassAnswer}) and the reveal's payout
 * ({@link storeRoundReveal}) have files of their own; everything else that touches the three
 * tables is here.
 */
export class ClassStore {
  constructor(private readonly db: AppDatabase) {}

  find(classId: string): ClassRecord | undefined {
    return this.db.select().from(classes).where(eq(classes.id, classId)).get();
  }

  /** The running class in a channel, if any. */
  runningIn(channelId: string): ClassRecord | undefined {
    return this.db
      .select()
      .from(classes)
      .where(and(eq(classes.channelId, channelId), eq(classes.status, "running")))
      .get();
  }

  allRunning(): ClassRecord[] {
    return this.db.select().from(classes).where(eq(classes.status, "running")).all();
  }

  /** The most recent ended classes of a guild, newest first; optionally of one lesson only. */
  recentEnded(guildId: string, options: { limit: number; lessonId?: string }): ClassRecord[] {
    return (
      this.db
        .select()
        .from(classes)
        .where(
          and(
            eq(classes.guildId, guildId),
            eq(classes.status, "ended"),
            options.lessonId === undefined ? undefined : eq(classes.lessonId, options.lessonId),
          ),
        )
        // Ties (same millisecond) by insertion order, not by the random id.
        .orderBy(desc(classes.startedAt), desc(sql`rowid`))
        .limit(options.limit)
        .all()
    );
  }

  round(classId: string, number: number): RoundRecord | undefined {
    return this.db
      .select()
      .from(classRounds)
      .where(and(eq(classRounds.classId, classId), eq(classRounds.number, number)))
      .get();
  }

  /** Rounds asked but not revealed (or skipped) yet. */
  unrevealedRounds(classId: string): RoundRecord[] {
    return this.db
      .select()
      .from(classRounds)
      .where(and(eq(classRounds.classId, classId), isNull(classRounds.revealedAt)))
      .all();
  }

  /** A round's answers, fastest first. */
  roundAnswers(classId: string, number: number): AnswerRecord[] {
    return this.db
      .select()
      .from(classAnswers)
      .where(and(eq(classAnswers.classId, classId), eq(classAnswers.roundNumber, number)))
      .orderBy(asc(classAnswers.elapsedMs), asc(classAnswers.id))
      .all();
  }

  /** Who answered a round, and which position counted. */
  answerPositions(classId: string, number: number): { userId: string; position: number }[] {
    return this.db
      .select({ userId: classAnswers.userId, position: classAnswers.position })
      .from(classAnswers)
      .where(and(eq(classAnswers.classId, classId), eq(classAnswers.roundNumber, number)))
      .all();
  }

  /** Members who answered at least once. */
  joinedCount(classId: string): number {
    const row = this.db
      .select({ members: countDistinct(classAnswers.userId) })
      .from(classAnswers)
      .where(eq(classAnswers.classId, classId))
      .get();
    return row?.members ?? 0;
  }

  /**
   * Questions posted so far (open, revealed or skipped), how many of them were revealed, and how
   * many the host skipped. A skipped round is not revealed: it counts in no total.
   */
  roundCounts(classId: string): { asked: number; revealed: number; skipped: number } {
    const row = this.db
      .select({
        asked: count(),
        closed: count(classRounds.revealedAt),
        skipped: count(classRounds.skippedAt),
      })
      .from(classRounds)
      .where(eq(classRounds.classId, classId))
      .get();
    const skipped = row?.skipped ?? 0;
    return { asked: row?.asked ?? 0, revealed: (row?.closed ?? 0) - skipped, skipped };
  }

  /** Each member's totals over the revealed rounds (answers of an open round do not count yet). */
  memberTotals(classId: string): MemberTotals[] {
    return this.db
      .select({
        userId: classAnswers.userId,
        name: sql<string>`max(${classAnswers.userName})`,
        points: sql<number>`coalesce(sum(${classAnswers.points}), 0)`,
        right: sql<number>`coalesce(sum(${classAnswers.correct}), 0)`,
        answered: count(),
      })
      .from(classAnswers)
      .innerJoin(
        classRounds,
        and(eq(classRounds.classId, classAnswers.classId), eq(classRounds.number, classAnswers.roundNumber)),
      )
      .where(
        and(
          eq(classAnswers.classId, classId),
          isNotNull(classRounds.revealedAt),
          isNull(classRounds.skippedAt),
        ),
      )
      .groupBy(classAnswers.userId)
      .all();
  }

  /** Answers and right answers per round that has any (a skip deletes its round's answers). */
  roundTotals(classId: string): RoundTotals[] {
    return this.db
      .select({
        number: classAnswers.roundNumber,
        answered: count(),
        right: sql<number>`coalesce(sum(${classAnswers.correct}), 0)`,
      })
      .from(classAnswers)
      .where(eq(classAnswers.classId, classId))
      .groupBy(classAnswers.roundNumber)
      .all();
  }

  /**
   * Inserts a new running class unless its channel runs one already; returns that one then. The
   * check and the insert share a transaction (and a unique index backs them).
   */
  async insertUnlessRunning(record: ClassRecord): Promise<ClassRecord | undefined> {
    return writeTransaction(this.db, (tx) => {
      const running = tx
        .select()
        .from(classes)
        .where(and(eq(classes.channelId, record.channelId), eq(classes.status, "running")))
        .get();
      if (running) return running;
      tx.insert(classes).values(record).run();
      return undefined;
    });
  }

  /**
   * Adds the round `plan` makes from the class's rounds so far (it may throw to refuse), and marks
   * the class active, in one transaction, so two presses of Question never ask two rounds.
   */
  async addRound(
    classId: string,
    now: Date,
    plan: (rounds: readonly RoundRecord[]) => RoundRecord,
  ): Promise<RoundRecord> {
    return writeTransaction(this.db, (tx) => {
      const rounds = tx.select().from(classRounds).where(eq(classRounds.classId, classId)).all();
      const round = plan(rounds);
      tx.insert(classRounds).values(round).run();
      tx.update(classes).set({ lastActivityAt: now }).where(eq(classes.id, classId)).run();
      return round;
    });
  }

  async setStageMessage(classId: string, messageId: string): Promise<void> {
    await writeTransaction(this.db, (tx) =>
      tx.update(classes).set({ stageMessageId: messageId }).where(eq(classes.id, classId)).run(),
    );
  }

  async setQuestionMessage(classId: string, number: number, messageId: string): Promise<void> {
    await writeTransaction(this.db, (tx) =>
      tx
        .update(classRounds)
        .set({ messageId })
        .where(and(eq(classRounds.classId, classId), eq(classRounds.number, number)))
        .run(),
    );
  }

  /** Applies `changes` and marks the class active now; undefined if it no longer exists. */
  async touch(classId: string, changes: Partial<ClassRecord>, now: Date): Promise<ClassRecord | undefined> {
    return writeTransaction(this.db, (tx) =>
      tx
        .update(classes)
        .set({ ...changes, lastActivityAt: now })
        .where(eq(classes.id, classId))
        .returning()
        .get(),
    );
  }

  /** Marks a running class ended; undefined if it was not running (ended by someone else first). */
  async markEnded(classId: string, reason: string, now: Date): Promise<ClassRecord | undefined> {
    return writeTransaction(this.db, (tx) =>
      tx
        .update(classes)
        .set({ status: "ended", endReason: reason, endedAt: now })
        .where(and(eq(classes.id, classId), eq(classes.status, "running")))
        .returning()
        .get(),
    );
  }
}
