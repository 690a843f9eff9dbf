import { GroupCommit } from "../db/GroupCommit.ts";
import type { AppDatabase } from "../db/openDatabase.ts";
import { UserError } from "../errors.ts";
import type { ContentLibrary, Lesson, Question } from "../lessons/content.ts";
import type { Logger } from "../logger.ts";
import type { Actor, MessageAddress } from "../ui/interaction.ts";
import type { LiveMessages } from "../ui/LiveMessages.ts";
import { ThrottledEditor } from "../ui/ThrottledEditor.ts";
import type { ClassScheduler } from "./ClassScheduler.ts";
import type { ClassRecord, ClassStore, RoundRecord } from "./ClassStore.ts";
import { classEndedMessage } from "./classButtons.ts";
import { renderAnswerCount, renderReveal } from "./renderClass.ts";
import { scoreAnswer } from "./scoreAnswer.ts";
import { storeRoundReveal } from "./storeRoundReveal.ts";
import { storeRoundSkip } from "./storeRoundSkip.ts";
import { type AnswerStored, type AnswerWrite, writeClassAnswer } from "./writeClassAnswer.ts";

/** Shortest gap between two edits of a question's "N answered" line (Discord edits are rate-limited). */
export const answerCountIntervalMs = 2000;

/** How many of the fastest right answers a reveal names. */
const fastestShown = 3;

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

/** A round the host skipped: what its message shows in place of the reveal. */
export interface RoundSkip {
  classId: string;
  lessonTitle: string;
  number: number;
  total: number;
  /** The question's prompt; empty if the question is no longer in the content. */
  prompt: string;
}

/** What a member is told after clicking an answer. */
export type AnswerOutcome =
  | { kind: "locked"; position: number }
  | { kind: "repeat"; position: number }
  | { kind: "closed"; position?: number }
  | { kind: "skipped" };

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
  /** Closed to new answers (revealing, revealed, skipping or skipped). */
  closed: boolean;
  /** The host skipped it: a click is told so. */
  skipped: boolean;
  messageId: string | null;
  /** Each member's first answer: the position, once its write has committed. */
  answers: Map<string, Promise<AnswerStored>>;
  /** Confirmed answers, for the count line. */
  confirmed: number;
  counter: ThrottledEditor | undefined;
  cancelTimer: (() => void) | undefined;
}

/** Where a click comes from. */
export interface ClickOrigin {
  guildId: string;
  channelId: string;
  actor: Actor;
}

export interface ClassRoundsOptions {
  db: AppDatabase;
  store: ClassStore;
  content: ContentLibrary;
  liveMessages: LiveMessages;
  logger: Logger;
  now: () => Date;
  scheduler: ClassScheduler;
  /** Largest answer batch per transaction. Default 500. */
  maxAnswerBatch?: number;
  /**
   * Called once a round's reveal is stored: the class is active again, and (unless the class is
   * ending) its stage may show the new joined count.
   */
  onRevealed: (classId: string, options: { editStage: boolean }) => void;
}

/**
 * The question rounds of running classes: the answer path, the deadlines and the reveals.
 *
 * The answer path is built for a burst of a thousand clicks: an open round is judged in memory,
 * answers are written by a {@link GroupCommit} (one transaction per batch), and a member is told
 * "Locked in" only after the transaction holding their answer committed. A unique key on (class,
 * round, member) keeps one answer per member per question even against other writers.
 */
export class ClassRounds {
  readonly #db: AppDatabase;
  readonly #store: ClassStore;
  readonly #content: ContentLibrary;
  readonly #live: LiveMessages;
  readonly #logger: Logger;
  readonly #now: () => Date;
  readonly #scheduler: ClassScheduler;
  readonly #onRevealed: ClassRoundsOptions["onRevealed"];
  readonly #answers: GroupCommit<AnswerWrite, AnswerStored>;
  readonly #rounds = new Map<string, OpenRound>();

  constructor(options: ClassRoundsOptions) {
    this.#db = options.db;
    this.#store = options.store;
    this.#content = options.content;
    this.#live = options.liveMessages;
    this.#logger = options.logger;
    this.#now = options.now;
    this.#scheduler = options.scheduler;
    this.#onRevealed = options.onRevealed;
    this.#answers = new GroupCommit(
      this.#db,
      (tx, items) => items.map((item) => writeClassAnswer(tx, item)),
      {
        maxBatch: options.maxAnswerBatch,
      },
    );
  }

  /** A round just stored as asked: held in memory, its deadline armed. */
  open(record: ClassRecord, lesson: Lesson, round: RoundRecord): ClassQuestion {
    const open = this.#remember(record, lesson, round, new Map(), 0);
    // Armed now, not once the message is posted: a failed post must not leave the round open forever.
    this.#armDeadline(open);
    return this.#questionView(open);
  }

  /** True while a round of the class is open to answers. */
  hasOpenRound(classId: string): boolean {
    return [...this.#rounds.values()].some((round) => round.classId === classId && !round.closed);
  }

  /** Re-arms the deadlines of a class's unrevealed rounds after a restart. */
  resume(record: ClassRecord): void {
    for (const round of this.#store.unrevealedRounds(record.id)) {
      const state = this.#loadOpenRound({ classId: record.id, round: round.number });
      this.#armDeadline(state);
    }
  }

  /** Writes answers already taken, then stops timers and the count edits. */
  async close(): Promise<void> {
    await this.#answers.flush();
    for (const open of this.#rounds.values()) {
      open.cancelTimer?.();
      await open.counter?.cancel();
    }
    this.#rounds.clear();
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
    where: ClickOrigin,
    receivedAt: Date,
  ): Promise<AnswerOutcome> {
    const open = this.#rounds.get(roundKey(click.classId, click.round)) ?? this.#loadOpenRound(click);
    if (open.guildId !== where.guildId || open.channelId !== where.channelId)
      throw new UserError("This question belongs to a class in another channel.");
    if (open.skipped) return { kind: "skipped" };
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
      skipped: round.skippedAt !== null,
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
    if (!record) throw new UserError(classEndedMessage);
    const round = this.#store.round(click.classId, click.round);
    if (!round) throw new UserError(classEndedMessage);
    const answers = new Map<string, Promise<AnswerStored>>();
    const stored = this.#store.answerPositions(click.classId, click.round);
    for (const answer of stored)
      answers.set(answer.userId, Promise.resolve({ duplicate: true, position: answer.position }));
    const closed = record.status !== "running" || round.revealedAt !== null;
    // A closed round serves this click only; it is not held in memory.
    const open = this.#remember(record, lessonOfClass(this.#content, record), round, answers, stored.length, {
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
      void this.revealAndShow(open.classId, open.number).catch((error: unknown) =>
        this.#logger.warn({ err: error, classId: open.classId }, "could not reveal a class question on time"),
      );
    });
  }

  /**
   * A timer's (or the class end's) reveal: stored, then shown on the question message, with the
   * host's controls unless the class is ending.
   */
  async revealAndShow(
    classId: string,
    number: number,
    options: { hostControls?: boolean } = {},
  ): Promise<RoundReveal | undefined> {
    const messageId = this.#rounds.get(roundKey(classId, number))?.messageId;
    const reveal = await this.reveal(classId, number);
    const record = this.#store.find(classId);
    if (!reveal || !record) return reveal;
    if (messageId)
      await this.#live.edit({ channelId: record.channelId, messageId }, renderReveal(reveal, options));
    return reveal;
  }

  /**
   * Closes a round to new answers, waits for answers already taken to be written, then stores
   * the reveal and pays the right answers to the leaderboard in one transaction. Undefined if it
   * was revealed already (by the timer or the host, whichever came second).
   */
  async reveal(
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

  /**
   * The host voids a round: closed to new answers, answers already taken written, then the round
   * is stored as skipped and its answers deleted in one transaction. Undefined if it was closed
   * already (revealed by the timer or the host, or skipped): of a skip and a reveal racing, only
   * the first to close the round counts. Works on a question no longer in the content, too.
   */
  async skip(classId: string, number: number): Promise<RoundSkip | undefined> {
    const key = roundKey(classId, number);
    const open = this.#rounds.get(key);
    if (open?.closed) return undefined;
    if (open) {
      open.closed = true;
      open.cancelTimer?.();
    }
    try {
      await this.#answers.flush();
      await open?.counter?.cancel();
      const skipped = await storeRoundSkip(this.#db, { classId, number }, this.#now());
      if (!skipped) return undefined;
      if (open) open.skipped = true;
      this.#onRevealed(classId, { editStage: true });
      return this.#skipView(classId, number);
    } finally {
      if (open && this.#rounds.get(key) === open) this.#rounds.delete(key);
    }
  }

  #skipView(classId: string, number: number): RoundSkip | undefined {
    const record = this.#store.find(classId);
    const round = this.#store.round(classId, number);
    if (!record || !round) return undefined;
    return {
      classId,
      lessonTitle: this.#content.getLesson(record.lessonId)?.title ?? record.lessonId,
      number,
      total: record.questionCount,
      prompt: this.#content.getQuestion(round.questionId)?.prompt ?? "",
    };
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
    this.#onRevealed(classId, { editStage: options.editStage !== false });
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
}

/** The lesson a class teaches; a lesson removed from the content since is told politely. */
export function lessonOfClass(content: ContentLibrary, record: ClassRecord): Lesson {
  const lesson = content.getLesson(record.lessonId);
  if (!lesson) throw new UserError("This class's lesson no longer exists. End it with /class end.");
  return lesson;
}

function roundKey(classId: string, number: number): string {
  return `${classId}:${number}`;
}
