import { randomBytes } from "node:crypto";
import type { AppDatabase } from "../db/openDatabase.ts";
import { UserError } from "../errors.ts";
import type { ContentLibrary, Lesson, LessonDemo } from "../lessons/content.ts";
import { findLesson } from "../lessons/findLesson.ts";
import type { Logger } from "../logger.ts";
import { type RandomSource, shuffle } from "../random.ts";
import type { Actor, MessageAddress } from "../ui/interaction.ts";
import type { LiveMessages } from "../ui/LiveMessages.ts";
import { ClassIdleTimers } from "./ClassIdleTimers.ts";
import {
  type AnswerOutcome,
  type ClassQuestion,
  ClassRounds,
  lessonOfClass,
  type RoundReveal,
  type RoundSkip,
} from "./ClassRounds.ts";
import { type ClassScheduler, realScheduler } from "./ClassScheduler.ts";
import { type ClassRecord, ClassStore, type RoundRecord } from "./ClassStore.ts";
import { classEndedMessage } from "./classButtons.ts";
import { renderEndedStage, renderMovedStage, renderStage } from "./renderClass.ts";
import {
  type ClassScoreboard,
  type ClassSummary,
  type EndReason,
  type Standing,
  scoreClass,
  summarizeClass,
} from "./summarizeClass.ts";

export type { AnswerOutcome, ClassQuestion, RoundReveal, RoundSkip } from "./ClassRounds.ts";
export type { ClassRecord } from "./ClassStore.ts";
export type { ClassScoreboard, ClassSummary, EndReason, Standing } from "./summarizeClass.ts";

/** Bounds of `/class start`'s options. */
export const classLimits = {
  questionSeconds: { min: 5, max: 120, default: 20 },
  questions: { min: 1, max: 20 },
} as const;

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
  /** Of those, how many the host skipped (they count in no total). */
  skipped?: number;
  /** The question open to answers now, if any: the stage says so and its Question button waits. */
  open?: { number: number; closesAt: Date };
  /** Set at start when the lesson has fewer questions than were asked for. */
  shortfall?: { requested: number; available: number };
}

/** How many past classes `/class history` lists (a select menu holds at most 25). */
export const historyLength = 10;

/** What `/class history` shows: summaries, newest first. */
export interface ClassHistory {
  /** Set when the list is filtered to one lesson. */
  lessonTitle?: string;
  classes: ClassSummary[];
}

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

/**
 * Live classes: a host runs a lesson in a channel with question rounds the whole room answers
 * against a clock. Everything is in SQLite (classes, rounds, answers), so after a restart the
 * buttons keep working and {@link resume} re-arms deadlines and idle ends.
 *
 * The parts: {@link ClassStore} (the SQL), {@link ClassRounds} (open questions: the batched
 * answer path, deadlines, reveals), {@link summarizeClass} (scoreboards and summaries) and
 * {@link ClassIdleTimers}. This class holds the rules of the host's controls and ties them together.
 */
export class ClassService {
  readonly #content: ContentLibrary;
  readonly #live: LiveMessages;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #random: RandomSource;
  readonly #store: ClassStore;
  readonly #idle: ClassIdleTimers;
  readonly #rounds: ClassRounds;

  constructor(options: ClassServiceOptions) {
    this.#content = options.content;
    this.#live = options.liveMessages;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#random = options.random ?? Math.random;
    const scheduler = options.scheduler ?? realScheduler;
    this.#store = new ClassStore(options.db);
    this.#idle = new ClassIdleTimers(scheduler, this.#now, (options.idleMinutes ?? 120) * 60_000);
    this.#rounds = new ClassRounds({
      db: options.db,
      store: this.#store,
      content: this.#content,
      liveMessages: this.#live,
      logger: this.#logger,
      now: this.#now,
      scheduler,
      maxAnswerBatch: options.maxAnswerBatch,
      onRevealed: (classId, { editStage }) => this.#revealed(classId, editStage),
    });
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
    const running = await this.#store.insertUnlessRunning(record);
    if (running) throw new UserError(runningElsewhere(running));
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
    const round = await this.#store.addRound(record.id, now, (rounds) => {
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
        skippedAt: null,
      };
      return round;
    });
    const question = this.#rounds.open(record, lesson, round);
    this.#editStage(record, renderStage(this.#stage(record)));
    return question;
  }

  /** Records the question's message, so the answered count and a timer's reveal can edit it. */
  attachQuestion(classId: string, number: number, address: MessageAddress): Promise<void> {
    return this.#rounds.attachQuestion(classId, number, address);
  }

  /**
   * A member's click on a choice. The first click counts; it resolves only once it is stored.
   * Clicks on a closed question, from another channel or on a round of an ended class are refused.
   */
  answer(
    click: { classId: string; round: number; position: number },
    where: ClassActor,
    receivedAt: Date,
  ): Promise<AnswerOutcome> {
    return this.#rounds.answer(click, where, receivedAt);
  }

  /** Reveal pressed by the host (or a Manage Server member). */
  async reveal(classId: string, number: number, where: ClassActor): Promise<RoundReveal> {
    this.#hostClass(classId, where, { allowAdmin: true });
    const reveal = await this.#rounds.reveal(classId, number);
    if (!reveal) throw new UserError(this.#closedMessage(classId, number));
    return reveal;
  }

  /**
   * Skip pressed by the host (or a Manage Server member): the question is voided. It pays no
   * points, writes no review card, counts in no total, and is not asked again in this class.
   */
  async skip(classId: string, number: number, where: ClassActor): Promise<RoundSkip> {
    this.#hostClass(classId, where, { allowAdmin: true });
    const skipped = await this.#rounds.skip(classId, number);
    if (!skipped) throw new UserError(this.#closedMessage(classId, number));
    this.#logger.info({ classId, round: number }, "class question skipped by the host");
    return skipped;
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

  /**
   * `/class stage`: the stage, to post again at the bottom of a busy channel. Host (or a Manage
   * Server member) only. The caller posts it, then {@link moveStage}.
   */
  async restage(where: ClassActor): Promise<ClassStage> {
    const record = this.#runningIn(where.channelId);
    this.#hostClass(record.id, where, { allowAdmin: true });
    return this.#stage(await this.#touch(record.id, {}));
  }

  /**
   * The stage now lives at `messageId`: later edits go there, and the old stage message loses
   * its controls and says where the stage went (its buttons would still work, but show an old page).
   */
  async moveStage(classId: string, messageId: string): Promise<void> {
    const before = this.#store.find(classId);
    await this.#store.setStageMessage(classId, messageId);
    if (before?.stageMessageId && before.stageMessageId !== messageId)
      this.#editStage(before, renderMovedStage(this.#lesson(before).title));
  }

  /** The member's place on the final (or current) scoreboard of a class. */
  myStanding(classId: string, where: ClassActor): { standing: Standing | undefined; of: number } {
    const record = this.#store.find(classId);
    if (!record || record.guildId !== where.guildId) throw new UserError(classEndedMessage);
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
      this.#rounds.resume(record);
    }
  }

  /** Stops timers and the count edits; what is stored is resumed at the next start. */
  async close(): Promise<void> {
    this.#idle.cancelAll();
    await this.#rounds.close();
  }

  // ---- internals ----

  #hostClass(classId: string, where: ClassActor, options: { allowAdmin?: boolean } = {}): ClassRecord {
    const record = this.#store.find(classId);
    if (!record || record.guildId !== where.guildId) throw new UserError(classEndedMessage);
    if (record.channelId !== where.channelId)
      throw new UserError("These controls belong to a class in another channel.");
    if (record.status !== "running") throw new UserError(classEndedMessage);
    const isHost = record.hostId === where.actor.id;
    if (!isHost && !(options.allowAdmin && where.canManageServer)) {
      throw new UserError(
        `Only the host, ${record.hostName}, can use the class controls. Answer each question with the buttons under it.`,
      );
    }
    return record;
  }

  /** Why a Reveal or Skip found its question closed already. */
  #closedMessage(classId: string, number: number): string {
    const round = this.#store.round(classId, number);
    if (!round) return "That question is not part of this class.";
    if (round.skippedAt) return "This question was skipped by the host; it does not count.";
    if (round.revealedAt) return "This question has already been revealed.";
    // Closing right now (the timer's reveal, or another press).
    return "This question is closing already.";
  }

  #runningIn(channelId: string): ClassRecord {
    const record = this.runningIn(channelId);
    if (!record) throw new UserError("No class is running in this channel. Start one with /class start.");
    return record;
  }

  #lesson(record: ClassRecord): Lesson {
    return lessonOfClass(this.#content, record);
  }

  /** A reveal was stored: the class is active again; the stage's joined count grows. */
  #revealed(classId: string, editStage: boolean): void {
    const record = this.#store.find(classId);
    if (!record) return;
    this.#armIdle(record);
    if (record.status === "running" && editStage) this.#editStage(record, renderStage(this.#stage(record)));
  }

  #stage(record: ClassRecord): ClassStage {
    const counts = this.#store.roundCounts(record.id);
    const stage: ClassStage = {
      record,
      lesson: this.#lesson(record),
      joined: this.#store.joinedCount(record.id),
      asked: counts.asked,
      skipped: counts.skipped,
    };
    const open = this.#store.unrevealedRounds(record.id).at(-1);
    return open ? { ...stage, open: { number: open.number, closesAt: open.closesAt } } : stage;
  }

  async #touch(classId: string, changes: Partial<ClassRecord>): Promise<ClassRecord> {
    const updated = await this.#store.touch(classId, changes, this.#now());
    if (!updated) throw new UserError(classEndedMessage);
    this.#armIdle(updated);
    return updated;
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
      if (options.edit === false) await this.#rounds.reveal(record.id, round.number, { editStage: false });
      else await this.#rounds.revealAndShow(record.id, round.number, { hostControls: false });
    }
    const now = this.#now();
    const ended = await this.#store.markEnded(record.id, reason, now);
    if (!ended) throw new UserError(classEndedMessage);
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
    const openRound = this.#rounds.hasOpenRound(classId);
    if (idleFor < this.#idle.idleMs || openRound) {
      this.#armIdle(openRound ? { ...record, lastActivityAt: this.#now() } : record);
      return;
    }
    this.#logger.info({ classId, idleMinutes: this.idleMinutes }, "class ended: idle");
    await this.#end(record, "idle");
  }
}

function runningElsewhere(running: ClassRecord): string {
  const where = running.stageMessageId
    ? `[A class](https://discord.com/channels/${running.guildId}/${running.channelId}/${running.stageMessageId})`
    : "A class";
  return `${where} is already running here, hosted by ${running.hostName}. One class per channel: end it first (/class end), or start yours in another channel or thread.`;
}
