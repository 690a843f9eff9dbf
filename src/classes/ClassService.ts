import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { GroupCommit } from "../db/GroupCommit.ts";
import type { AppDatabase } from "../db/openDatabase.ts";
import { classes, classRounds } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { UserError } from "../errors.ts";
import type { ContentLibrary, Lesson, LessonDemo, Question } from "../lessons/content.ts";
import { findLesson } from "../lessons/findLesson.ts";
import type { Logger } from "../logger.ts";
import { type RandomSource, shuffle } from "../random.ts";
import type { Actor, MessageAddress } from "../ui/interaction.ts";
import type { LiveMessages } from "../ui/LiveMessages.ts";
import { ThrottledEditor } from "../ui/ThrottledEditor.ts";
import { ClassIdleTimers } from "./ClassIdleTimers.ts";
import { type ClassScheduler, realScheduler } from "./ClassScheduler.ts";
import { type ClassRecord, ClassStore, type RoundRecord } from "./ClassStore.ts";
import { renderAnswerCount, renderEndedStage, renderReveal, renderStage } from "./renderClass.ts";
import { scoreAnswer } from "./scoreAnswer.ts";
import { storeRoundReveal } from "./storeRoundReveal.ts";
import {
  type ClassScoreboard,
  type ClassSummary,
  type EndReason,
  type Standing,
  scoreClass,
  summarizeClass,
} from "./summarizeClass.ts";
import { type AnswerStored, type AnswerWrite, writeClassAnswer } from "./writeClassAnswer.ts";

export type { ClassRecord } from "./ClassStore.ts";
export type { ClassScoreboard, ClassSummary, EndReason, Standing } from "./summarizeClass.ts";

/** Bounds of `/class start`'s options. */
export const classLimits = {
  questionSeconds: { min: 5, max: 120, default: 20 },
  questions: { min: 1, max: 20 },
} as const;

/** Shortest gap between two edits of a question's "N answered" line (Discord edits are rate-limited). */
export const answerCountIntervalMs = 2000;

/** How many of the fastest right answers a reveal names. */
const fastestShown = 3;

const classEnded = "This class has ended. A host can start a new one with /class start.";

/** Where a class runs and who acts on it. */
export interface ClassActor {
  guildId: string;
  channelId: string;
  actor: Actor;
  /** The member has Manage Server in this guild (may end any class, take over a host who left). */
  canManageServer?: boolean;
}

/** Everything the stage message shows. */
export interface ClassStage {
  record: ClassRecord;
  lesson: Lesson;
  /** Members who answered at least once. */
  joined: number;
  /** Questions posted so far. */
  asked: number;
  /** Set at start when the lesson has fewer questions than were asked for. */
  shortfall?: { requested: number; available: number };
}

/** A question as its public message shows it while open. */
export interface ClassQuestion {
  classId: string;
  lessonTitle: string;
  number: number;
  total: number;
  question: Question;
  /** Original choice indexes in display order (A, B, C…). */
  order: number[];
  closesAt: Date;
  answered: number;
}

/** A revealed round. */
export interface RoundReveal extends Omit<ClassQuestion, "answered"> {
  /** How many chose each display position. */
  counts: number[];
  correctPosition: number;
  answered: number;
  right: number;
  fastest: { userId: string; name: string; elapsedMs: number; points: number }[];
}

/** How many past classes `/class history` lists (a select menu holds at most 25). */
export const historyLength = 10;

/** What `/class history` shows: summaries, newest first. */
export interface ClassHistory {
  /** Set when the list is filtered to one lesson. */
  lessonTitle?: string;
  classes: ClassSummary[];
}

/** What a member is told after clicking an answer. */
export type AnswerOutcome =
  | { kind: "locked"; position: number }
  | { kind: "repeat"; position: number }
  | { kind: "closed"; position?: number };

export interface ClassServiceOptions {
  db: AppDatabase;
  content: ContentLibrary;
  liveMessages: LiveMessages;
  logger: Logger;
  now: () => Date;
  /** Shuffles each question's choices. Default `Math.random`. */
  random?: RandomSource;
  /** Timers for deadlines and idle ends; tests pass one they drive. Default: real timers. */
  scheduler?: ClassScheduler;
  /** A class with no host action or reveal for this long ends itself. Default 120 minutes. */
  idleMinutes?: number;
  /** Largest answer batch per transaction. Default 500. */
  maxAnswerBatch?: number;
}

/** An open round kept in memory so clicks are judged without a read. */
interface OpenRound {
  classId: string;
  number: number;
  guildId: string;
  channelId: string;
  lessonTitle: string;
  total: number;
  question: Question;
  order: number[];
  openedAt: Date;
  closesAt: Date;
  limitMs: number;
  /** Closed to new answers (revealing, or revealed). */
  closed: boolean;
  messageId: string | null;
  /** Each member's first answer: the position, once its write has committed. */
  answers: Map<string, Promise<AnswerStored>>;
  /** Confirmed answers, for the count line. */
  confirmed: number;
  counter: ThrottledEditor | undefined;
  cancelTimer: (() => void) | undefined;
}

/**
 * Live classes: a host runs a lesson in a channel with question rounds the whole room answers
 * against a clock. Everything is in SQLite (classes, rounds, answers), so after a restart the
 * buttons keep working and {@link resume} re-arms deadlines and idle ends.
 *
 * The answer path is built for a burst of a thousand clicks: an open round is judged in memory,
 * answers are written by a {@link GroupCommit} (one transaction per batch), and a member is told
 * "Locked in" only after the transaction holding their answer committed. A unique key on (class,
 * round, member) keeps one answer per member per question even against other writers.
 */
export class ClassService {
  readonly #db: AppDatabase;
  readonly #content: ContentLibrary;
  readonly #live: LiveMessages;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #random: RandomSource;
  readonly #scheduler: ClassScheduler;
  readonly #store: ClassStore;
  readonly #idle: ClassIdleTimers;
  readonly #answers: GroupCommit<AnswerWrite, AnswerStored>;
  readonly #rounds = new Map<string, OpenRound>();

  constructor(options: ClassServiceOptions) {
    this.#db = options.db;
    this.#content = options.content;
    this.#live = options.liveMessages;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#random = options.random ?? Math.random;
    this.#scheduler = options.scheduler ?? realScheduler;
    this.#store = new ClassStore(this.#db);
    this.#idle = new ClassIdleTimers(this.#scheduler, this.#now, (options.idleMinutes ?? 120) * 60_000);
    this.#answers = new GroupCommit(
      this.#db,
      (tx, items) => items.map((item) => writeClassAnswer(tx, item)),
      {
        maxBatch: options.maxAnswerBatch,
      },
    );
  }

  /** Minutes of inactivity after which a class ends itself. */
  get idleMinutes(): number {
    return this.#idle.idleMs / 60_000;
  }

  /**
   * Starts a class in the actor's channel. A channel already running one is refused with a link
   * to its stage message. The stage message is posted by the caller, then {@link attachStage}.
   */
  async start(
    where: ClassActor,
    request: { lesson: string; questionSeconds?: number | null; questions?: number | null },
  ): Promise<ClassStage> {
    const seconds = request.questionSeconds ?? classLimits.questionSeconds.default;
    const { min, max } = classLimits.questionSeconds;
    if (!Number.isInteger(seconds) || seconds < min || seconds > max)
      throw new UserError(`A question stays open ${min} to ${max} seconds.`);
    const lesson = findLesson(this.#content, request.lesson);
    if (lesson.questions.length === 0) throw new UserError(`“${lesson.title}” has no questions yet.`);
    const requested = request.questions ?? lesson.questions.length;
    if (
      !Number.isInteger(requested) ||
      requested < classLimits.questions.min ||
      requested > classLimits.questions.max
    )
      throw new UserError(
        `A class asks ${classLimits.questions.min} to ${classLimits.questions.max} questions.`,
      );
    const now = this.#now();
    const record: ClassRecord = {
      id: randomBytes(9).toString("base64url"),
      guildId: where.guildId,
      channelId: where.channelId,
      lessonId: lesson.id,
      hostId: where.actor.id,
      hostName: where.actor.displayName,
      stageMessageId: null,
      questionSeconds: seconds,
      questionCount: Math.min(requested, lesson.questions.length),
      questionsRequested: requested,
      snippetIndex: 0,
      nextDemo: 0,
      status: "running",
      endReason: null,
      startedAt: now,
      lastActivityAt: now,
      endedAt: null,
    };
    await writeTransaction(this.#db, (tx) => {
      const running = tx
        .select()
        .from(classes)
        .where(and(eq(classes.channelId, where.channelId), eq(classes.status, "running")))
        .get();
      if (running) throw new UserError(runningElsewhere(running));
      tx.insert(classes).values(record).run();
    });
    this.#armIdle(record);
    this.#logger.info(
      { classId: record.id, channelId: record.channelId, lesson: lesson.id },
      "class started",
    );
    const stage: ClassStage = { record, lesson, joined: 0, asked: 0 };
    return requested > lesson.questions.length
      ? { ...stage, shortfall: { requested, available: lesson.questions.length } }
      : stage;
  }

  /** Records where the stage message landed, so later edits (reveals, the end) can reach it. */
  async attachStage(classId: string, messageId: string): Promise<void> {
    await this.#store.setStageMessage(classId, messageId);
  }

  /** Previous (-1) or next (+1) snippet of the lesson on the stage. Host only. */
  async turnPage(classId: string, where: ClassActor, delta: -1 | 1): Promise<ClassStage> {
    const record = this.#hostClass(classId, where);
    const lesson = this.#lesson(record);
    const index = Math.min(lesson.snippets.length - 1, Math.max(0, record.snippetIndex + delta));
    const updated = await this.#touch(record.id, { snippetIndex: index });
    return this.#stage(updated);
  }

  /** The lesson demo the Demo button runs now; the next press runs the following one. Host only. */
  async nextDemo(classId: string, where: ClassActor): Promise<LessonDemo> {
    const record = this.#hostClass(classId, where);
    const lesson = this.#lesson(record);
    const demo = lesson.demos[record.nextDemo % lesson.demos.length];
    if (!demo) throw new UserError(`“${lesson.title}” has no demo.`);
    await this.#touch(record.id, { nextDemo: (record.nextDemo + 1) % lesson.demos.length });
    return demo;
  }

  /**
   * Opens the lesson's next question for the whole room. Host only; refused while a question is
   * open or once the class has asked all its questions. The caller posts it, then
   * {@link attachQuestion} starts its clock.
   */
  async openQuestion(classId: string, where: ClassActor): Promise<ClassQuestion> {
    const record = this.#hostClass(classId, where);
    const lesson = this.#lesson(record);
    const now = this.#now();
    const round = await writeTransaction(this.#db, (tx) => {
      const rounds = tx.select().from(classRounds).where(eq(classRounds.classId, record.id)).all();
      if (rounds.some((round) => round.revealedAt === null))
        throw new UserError("A question is still open. Press Reveal on it (or wait for its timer) first.");
      if (rounds.length >= record.questionCount) {
        const fewer =
          record.questionCount < record.questionsRequested
            ? ` “${lesson.title}” has only ${lesson.questions.length} questions, fewer than the ${record.questionsRequested} you asked for.`
            : "";
        throw new UserError(
          `That was the last question (${record.questionCount} of ${record.questionCount}).${fewer} Press Scoreboard or End.`,
        );
      }
      const asked = new Set(rounds.map((round) => round.questionId));
      const question = lesson.questions.find((candidate) => !asked.has(candidate.id));
      if (!question) throw new UserError("This lesson has no more questions. Press Scoreboard or End.");
      const round: RoundRecord = {
        classId: record.id,
        number: rounds.length + 1,
        questionId: question.id,
        choiceOrder: shuffle(
          question.choices.map((_, index) => index),
          this.#random,
        ),
        messageId: null,
        openedAt: now,
        closesAt: new Date(now.getTime() + record.questionSeconds * 1000),
        revealedAt: null,
      };
      tx.insert(classRounds).values(round).run();
      tx.update(classes).set({ lastActivityAt: now }).where(eq(classes.id, record.id)).run();
      return round;
    });
    const open = this.#remember(record, lesson, round, new Map(), 0);
    // Armed now, not once the message is posted: a failed post must not leave the round open forever.
    this.#armDeadline(open);
    return this.#questionView(open);
  }

  /** Records the question's message, so the answered count and a timer's reveal can edit it. */
  async attachQuestion(classId: string, number: number, address: MessageAddress): Promise<void> {
    const open = this.#rounds.get(roundKey(classId, number));
    if (open) {
      open.messageId = address.messageId;
      this.#startCounter(open);
      // Members may have answered while the message was being posted.
      if (open.confirmed > 0) open.counter?.show(renderAnswerCount(this.#questionView(open)));
    }
    await this.#store.setQuestionMessage(classId, number, address.messageId);
  }

  /**
   * A member's click on a choice. The first click counts; it resolves only once it is stored.
   * Clicks on a closed question, from another channel or on a round of an ended class are refused.
   */
  async answer(
    click: { classId: string; round: number; position: number },
    where: ClassActor,
    receivedAt: Date,
  ): Promise<AnswerOutcome> {
    const open = this.#rounds.get(roundKey(click.classId, click.round)) ?? this.#loadOpenRound(click);
    if (open.guildId !== where.guildId || open.channelId !== where.channelId)
      throw new UserError("This question belongs to a class in another channel.");
    const earlier = open.answers.get(where.actor.id);
    if (earlier) {
      const first = await earlier;
      return { kind: "repeat", position: first.position };
    }
    if (open.closed || receivedAt.getTime() > open.closesAt.getTime()) return { kind: "closed" };
    const chosenChoice = open.order[click.position];
    if (chosenChoice === undefined) throw new UserError("That choice is not on this question.");
    const correct = open.question.choices[chosenChoice]?.correct === true;
    const elapsedMs = Math.max(0, receivedAt.getTime() - open.openedAt.getTime());
    const write = this.#answers.submit({
      classId: open.classId,
      round: open.number,
      guildId: where.guildId,
      userId: where.actor.id,
      userName: where.actor.displayName,
      position: click.position,
      chosenChoice,
      correct,
      points: scoreAnswer(correct, elapsedMs, open.limitMs),
      elapsedMs,
      answeredAt: receivedAt,
    });
    open.answers.set(where.actor.id, write);
    let stored: AnswerStored;
    try {
      stored = await write;
    } catch (error) {
      // Nothing was written: the member may click again.
      open.answers.delete(where.actor.id);
      throw error;
    }
    if (stored.duplicate) return { kind: "repeat", position: stored.position };
    open.confirmed += 1;
    open.counter?.show(renderAnswerCount(this.#questionView(open)));
    return { kind: "locked", position: stored.position };
  }

  /** Reveal pressed by the host (or a Manage Server member). */
  async reveal(classId: string, number: number, where: ClassActor): Promise<RoundReveal> {
    this.#hostClass(classId, where, { allowAdmin: true });
    const reveal = await this.#revealRound(classId, number);
    if (!reveal) throw new UserError("This question has already been revealed.");
    return reveal;
  }

  /** The class scoreboard as it stands. Host only. */
  async scoreboard(classId: string, where: ClassActor): Promise<ClassScoreboard> {
    const record = this.#hostClass(classId, where);
    await this.#touch(record.id, {});
    return this.#scoreboard(record);
  }

  /** Ends the class the button belongs to: the host, or a Manage Server member. */
  async end(classId: string, where: ClassActor): Promise<ClassSummary> {
    const record = this.#hostClass(classId, where, { allowAdmin: true });
    return this.#end(record, where.actor.id === record.hostId ? "host" : "admin");
  }

  /** `/class end`: ends the class running in the actor's channel. */
  async endInChannel(where: ClassActor): Promise<ClassSummary> {
    const record = this.#runningIn(where.channelId);
    return this.end(record.id, where);
  }

  /** `/class host member:` — the host (or a Manage Server member) hands the class over. */
  async handOver(where: ClassActor, next: Actor): Promise<ClassStage> {
    const record = this.#runningIn(where.channelId);
    this.#hostClass(record.id, where, { allowAdmin: true });
    const updated = await this.#touch(record.id, { hostId: next.id, hostName: next.displayName });
    const stage = this.#stage(updated);
    this.#editStage(updated, renderStage(stage));
    return stage;
  }

  /** The member's place on the final (or current) scoreboard of a class. */
  myStanding(classId: string, where: ClassActor): { standing: Standing | undefined; of: number } {
    const record = this.#store.find(classId);
    if (!record || record.guildId !== where.guildId) throw new UserError(classEnded);
    const board = scoreClass(this.#store, this.#content, record);
    return {
      standing: board.standings.find((standing) => standing.userId === where.actor.id),
      of: board.standings.length,
    };
  }

  /**
   * `/class history`: the guild's most recent ended classes, newest first, each with its summary;
   * optionally of one lesson only.
   */
  history(guildId: string, filter: { lesson?: string | null } = {}): ClassHistory {
    const lesson = filter.lesson ? findLesson(this.#content, filter.lesson) : undefined;
    const records = this.#store.recentEnded(guildId, { limit: historyLength, lessonId: lesson?.id });
    return {
      lessonTitle: lesson?.title,
      classes: records.map((record) => this.#summary(record)),
    };
  }

  /** One past class of the guild, re-opened from `/class history`. */
  pastClass(classId: string, guildId: string): ClassSummary {
    const record = this.#store.find(classId);
    if (!record || record.guildId !== guildId)
      throw new UserError(
        "That class is no longer on record here. Run /class history again for the current list.",
      );
    if (record.status !== "ended")
      throw new UserError("That class is still running; its summary is ready once it ends.");
    return this.#summary(record);
  }

  /** The running class in a channel, if any. */
  runningIn(channelId: string): ClassRecord | undefined {
    return this.#store.runningIn(channelId);
  }

  /** The platform saw the channel (or thread) go: its class ends, nothing is edited. */
  async channelDeleted(channelId: string): Promise<void> {
    const record = this.runningIn(channelId);
    if (!record) return;
    this.#logger.info({ classId: record.id, channelId }, "class ended: its channel was deleted");
    await this.#end(record, "channel-deleted", { edit: false });
  }

  /** Re-arms deadlines and idle ends of classes left running by an earlier start. */
  resume(): void {
    for (const record of this.#store.allRunning()) {
      this.#armIdle(record);
      for (const round of this.#store.unrevealedRounds(record.id)) {
        const state = this.#loadOpenRound({ classId: record.id, round: round.number });
        this.#armDeadline(state);
      }
    }
  }

  /** Stops timers and the count edits; what is stored is resumed at the next start. */
  async close(): Promise<void> {
    await this.#answers.flush();
    this.#idle.cancelAll();
    for (const open of this.#rounds.values()) {
      open.cancelTimer?.();
      await open.counter?.cancel();
    }
    this.#rounds.clear();
  }

  // ---- internals ----

  #hostClass(classId: string, where: ClassActor, options: { allowAdmin?: boolean } = {}): ClassRecord {
    const record = this.#store.find(classId);
    if (!record || record.guildId !== where.guildId) throw new UserError(classEnded);
    if (record.channelId !== where.channelId)
      throw new UserError("These controls belong to a class in another channel.");
    if (record.status !== "running") throw new UserError(classEnded);
    const isHost = record.hostId === where.actor.id;
    if (!isHost && !(options.allowAdmin && where.canManageServer)) {
      throw new UserError(
        `Only the host, ${record.hostName}, can use the class controls. Answer each question with the buttons under it.`,
      );
    }
    return record;
  }

  #runningIn(channelId: string): ClassRecord {
    const record = this.runningIn(channelId);
    if (!record) throw new UserError("No class is running in this channel. Start one with /class start.");
    return record;
  }

  #lesson(record: ClassRecord): Lesson {
    const lesson = this.#content.getLesson(record.lessonId);
    if (!lesson) throw new UserError("This class's lesson no longer exists. End it with /class end.");
    return lesson;
  }

  #stage(record: ClassRecord): ClassStage {
    return {
      record,
      lesson: this.#lesson(record),
      joined: this.#store.joinedCount(record.id),
      asked: this.#store.askedCount(record.id),
    };
  }

  async #touch(classId: string, changes: Partial<ClassRecord>): Promise<ClassRecord> {
    const updated = await this.#store.touch(classId, changes, this.#now());
    if (!updated) throw new UserError(classEnded);
    this.#armIdle(updated);
    return updated;
  }

  #remember(
    record: ClassRecord,
    lesson: Lesson,
    round: RoundRecord,
    answers: Map<string, Promise<AnswerStored>>,
    confirmed: number,
    options: { keep: boolean } = { keep: true },
  ): OpenRound {
    const question = this.#content.getQuestion(round.questionId);
    if (!question || question.choices.length !== round.choiceOrder.length)
      throw new UserError(
        "This question changed since it was asked. The host can reveal it or end the class.",
      );
    const open: OpenRound = {
      classId: record.id,
      number: round.number,
      guildId: record.guildId,
      channelId: record.channelId,
      lessonTitle: lesson.title,
      total: record.questionCount,
      question,
      order: round.choiceOrder,
      openedAt: round.openedAt,
      closesAt: round.closesAt,
      limitMs: record.questionSeconds * 1000,
      closed: round.revealedAt !== null,
      messageId: round.messageId,
      answers,
      confirmed,
      counter: undefined,
      cancelTimer: undefined,
    };
    if (options.keep && !open.closed) {
      this.#rounds.set(roundKey(record.id, round.number), open);
      this.#startCounter(open);
    }
    return open;
  }

  /** Loads a round after a restart, or tells the member why their click no longer counts. */
  #loadOpenRound(click: { classId: string; round: number }): OpenRound {
    const record = this.#store.find(click.classId);
    if (!record) throw new UserError(classEnded);
    const round = this.#store.round(click.classId, click.round);
    if (!round) throw new UserError(classEnded);
    const answers = new Map<string, Promise<AnswerStored>>();
    const stored = this.#store.answerPositions(click.classId, click.round);
    for (const answer of stored)
      answers.set(answer.userId, Promise.resolve({ duplicate: true, position: answer.position }));
    const closed = record.status !== "running" || round.revealedAt !== null;
    // A closed round serves this click only; it is not held in memory.
    const open = this.#remember(record, this.#lesson(record), round, answers, stored.length, {
      keep: !closed,
    });
    open.closed = closed;
    return open;
  }

  #startCounter(open: OpenRound): void {
    if (open.closed || open.counter || open.messageId === null) return;
    const address = { channelId: open.channelId, messageId: open.messageId };
    open.counter = new ThrottledEditor(
      { edit: (view) => this.#live.edit(address, view) },
      {
        minIntervalMs: answerCountIntervalMs,
        onError: (error) =>
          this.#logger.warn(
            { err: error, classId: open.classId },
            "could not update a question's answer count",
          ),
      },
    );
  }

  #armDeadline(open: OpenRound): void {
    open.cancelTimer?.();
    this.#startCounter(open);
    const wait = Math.max(0, open.closesAt.getTime() - this.#now().getTime());
    open.cancelTimer = this.#scheduler.schedule(wait, () => {
      open.cancelTimer = undefined;
      void this.#revealAndShow(open.classId, open.number).catch((error: unknown) =>
        this.#logger.warn({ err: error, classId: open.classId }, "could not reveal a class question on time"),
      );
    });
  }

  /** A timer's reveal: stored, then shown on the question message. */
  async #revealAndShow(classId: string, number: number): Promise<RoundReveal | undefined> {
    const messageId = this.#rounds.get(roundKey(classId, number))?.messageId;
    const reveal = await this.#revealRound(classId, number);
    const record = this.#store.find(classId);
    if (!reveal || !record) return reveal;
    if (messageId) await this.#live.edit({ channelId: record.channelId, messageId }, renderReveal(reveal));
    return reveal;
  }

  /**
   * Closes a round to new answers, waits for answers already taken to be written, then stores
   * the reveal and pays the right answers to the leaderboard in one transaction. Undefined if it
   * was revealed already (by the timer or the host, whichever came second).
   */
  async #revealRound(
    classId: string,
    number: number,
    options: { editStage?: boolean } = {},
  ): Promise<RoundReveal | undefined> {
    const key = roundKey(classId, number);
    const open = this.#rounds.get(key) ?? this.#loadOpenRound({ classId, round: number });
    // Closed: revealed already, or being revealed by the timer or the host right now.
    if (open.closed) return undefined;
    open.closed = true;
    open.cancelTimer?.();
    try {
      await this.#answers.flush();
      await open.counter?.cancel();
      return await this.#storeReveal(open, options);
    } finally {
      // Held (closed) until here, so a click during the reveal is told the question closed; if
      // storing failed, the next Reveal reloads the round from the database.
      if (this.#rounds.get(key) === open) this.#rounds.delete(key);
    }
  }

  /** Stores the reveal (and its payout, once), then shows the stage's new joined count. */
  async #storeReveal(open: OpenRound, options: { editStage?: boolean }): Promise<RoundReveal | undefined> {
    const { classId, number } = open;
    const revealed = await storeRoundReveal(
      this.#db,
      { classId, number, questionId: open.question.id },
      this.#now(),
    );
    if (!revealed) return undefined;
    const record = this.#store.find(classId);
    if (record) {
      this.#armIdle(record);
      // The joined count on the stage grows with each reveal.
      if (record.status === "running" && options.editStage !== false)
        this.#editStage(record, renderStage(this.#stage(record)));
    }
    return this.#revealView(open);
  }

  #revealView(open: OpenRound): RoundReveal {
    const answers = this.#store.roundAnswers(open.classId, open.number);
    const counts = open.order.map(() => 0);
    for (const answer of answers) counts[answer.position] = (counts[answer.position] ?? 0) + 1;
    const right = answers.filter((answer) => answer.correct);
    return {
      ...this.#questionView(open),
      counts,
      correctPosition: open.order.findIndex((index) => open.question.choices[index]?.correct === true),
      answered: answers.length,
      right: right.length,
      fastest: right.slice(0, fastestShown).map((answer) => ({
        userId: answer.userId,
        name: answer.userName,
        elapsedMs: answer.elapsedMs,
        points: answer.points,
      })),
    };
  }

  #questionView(open: OpenRound): ClassQuestion {
    return {
      classId: open.classId,
      lessonTitle: open.lessonTitle,
      number: open.number,
      total: open.total,
      question: open.question,
      order: open.order,
      closesAt: open.closesAt,
      answered: open.confirmed,
    };
  }

  #scoreboard(record: ClassRecord): ClassScoreboard {
    return scoreClass(this.#store, this.#content, record);
  }

  async #end(
    record: ClassRecord,
    reason: EndReason,
    options: { edit?: boolean } = {},
  ): Promise<ClassSummary> {
    const open = this.#store.unrevealedRounds(record.id);
    // An open question is revealed first, so answers already given still count.
    for (const round of open) {
      if (options.edit === false) await this.#revealRound(record.id, round.number, { editStage: false });
      else await this.#revealAndShow(record.id, round.number);
    }
    const now = this.#now();
    const ended = await this.#store.markEnded(record.id, reason, now);
    if (!ended) throw new UserError(classEnded);
    this.#idle.cancel(record.id);
    const summary = this.#summary(ended);
    this.#logger.info(
      { classId: ended.id, channelId: ended.channelId, reason, participants: summary.participants },
      "class ended",
    );
    if (options.edit !== false) this.#editStage(ended, renderEndedStage(summary));
    return summary;
  }

  #summary(record: ClassRecord): ClassSummary {
    return summarizeClass(this.#store, this.#content, record, this.#now());
  }

  #editStage(record: ClassRecord, view: ReturnType<typeof renderStage>): void {
    if (!record.stageMessageId) return;
    void this.#live
      .edit({ channelId: record.channelId, messageId: record.stageMessageId }, view)
      .catch((error: unknown) =>
        this.#logger.warn({ err: error, classId: record.id }, "could not update a class's stage message"),
      );
  }

  #armIdle(record: ClassRecord): void {
    if (record.status !== "running") {
      this.#idle.cancel(record.id);
      return;
    }
    this.#idle.arm(record.id, record.lastActivityAt, () => {
      void this.#endIfIdle(record.id).catch((error: unknown) =>
        this.#logger.warn({ err: error, classId: record.id }, "could not end an idle class"),
      );
    });
  }

  async #endIfIdle(classId: string): Promise<void> {
    const record = this.#store.find(classId);
    if (record?.status !== "running") return;
    const idleFor = this.#now().getTime() - record.lastActivityAt.getTime();
    const openRound = [...this.#rounds.values()].some((round) => round.classId === classId && !round.closed);
    if (idleFor < this.#idle.idleMs || openRound) {
      this.#armIdle(openRound ? { ...record, lastActivityAt: this.#now() } : record);
      return;
    }
    this.#logger.info({ classId, idleMinutes: this.idleMinutes }, "class ended: idle");
    await this.#end(record, "idle");
  }
}

function roundKey(classId: string, number: number): string {
  return `${classId}:${number}`;
}

function runningElsewhere(running: ClassRecord): string {
  const where = running.stageMessageId
    ? `[A class](https://discord.com/channels/${running.guildId}/${running.channelId}/${running.stageMessageId})`
    : "A class";
  return `${where} is already running here, hosted by ${running.hostName}. One class per channel: end it first (/class end), or start yours in another channel or thread.`;
}
