import { randomBytes } from "node:crypto";
import { and, asc, count, eq, lte } from "drizzle-orm";
import type { MemberKey } from "../db/MemberKey.ts";
import type { AppDatabase } from "../db/openDatabase.ts";
import { quizAnswers, quizRuns } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { UserError } from "../errors.ts";
import type { Choice, ContentLibrary, Question } from "../lessons/content.ts";
import { findLesson } from "../lessons/findLesson.ts";
import { awardPoints } from "../progress/awardPoints.ts";
import { recordActivityDay } from "../progress/recordActivityDay.ts";
import type { RandomSource } from "../random.ts";
import { recordCardReview } from "../review/recordCardReview.ts";
import { gradeAnswer } from "./gradeAnswer.ts";
import { planQuiz } from "./planQuiz.ts";

/** Bounds of the `questions` option. */
export const quizLength = { min: 1, max: 20, default: 5 } as const;

/** Points for one correct quiz answer. */
const pointsPerCorrectAnswer = 1;

const quizEnded = "This quiz has ended — start a new one with /quiz.";
const notYourQuiz = "This quiz belongs to someone else — start your own with /quiz.";

export interface QuizServiceOptions {
  db: AppDatabase;
  content: ContentLibrary;
  now: () => Date;
  /** Shuffles questions and choices. Default `Math.random`. */
  random?: RandomSource;
}

export interface QuizStart {
  /** A lesson id or title; absent for a quiz mixed across all lessons. */
  lesson?: string | null;
  /** How many questions, {@link quizLength}.min to .max. Default {@link quizLength}.default. */
  questions?: number | null;
}

/** What every step of a quiz shows about the run. */
interface QuizStepBase {
  runId: string;
  /** The lesson's title, or undefined for a mixed quiz. */
  lessonTitle: string | undefined;
  /** Zero-based index of the question. */
  index: number;
  total: number;
  question: Question;
  /** The question's choices in the order shown (A, B, C…). */
  choices: Choice[];
}

/** A question waiting for an answer. */
export interface QuizQuestionStep extends QuizStepBase {
  kind: "question";
  /** Set on the first question when fewer questions exist than were asked for. */
  shortfall?: { requested: number; available: number };
}

/** A graded answer. */
export interface QuizAnswerStep extends QuizStepBase {
  kind: "answer";
  /** True when this click repeated an answer already recorded; the first answer stands. */
  duplicate: boolean;
  chosenPosition: number;
  correctPosition: number;
  correct: boolean;
  /** Correct answers in the run up to and including this question. */
  correctCount: number;
  isLast: boolean;
}

/** The end of a run. */
export interface QuizSummaryStep {
  kind: "summary";
  runId: string;
  lessonTitle: string | undefined;
  total: number;
  correctCount: number;
  /** Questions answered wrongly, in quiz order. */
  missed: Question[];
}

type QuizRun = typeof quizRuns.$inferSelect;
type QuizAnswer = typeof quizAnswers.$inferSelect;

/**
 * Runs multiple-choice quizzes. All state lives in SQLite, so a run continues after a restart
 * from whatever buttons the member still has.
 */
export class QuizService {
  readonly #db: AppDatabase;
  readonly #content: ContentLibrary;
  readonly #now: () => Date;
  readonly #random: RandomSource;

  constructor(options: QuizServiceOptions) {
    this.#db = options.db;
    this.#content = options.content;
    this.#now = options.now;
    this.#random = options.random ?? Math.random;
  }

  /** Starts a run over one lesson's questions, or all questions, and returns its first question. */
  async start(member: MemberKey, request: QuizStart = {}): Promise<QuizQuestionStep> {
    const requested = request.questions ?? quizLength.default;
    if (!Number.isInteger(requested) || requested < quizLength.min || requested > quizLength.max) {
      throw new UserError(`A quiz has ${quizLength.min} to ${quizLength.max} questions.`);
    }
    const lesson = request.lesson ? findLesson(this.#content, request.lesson) : undefined;
    const pool = lesson ? lesson.questions : this.#content.allQuestions();
    if (pool.length === 0) {
      throw new UserError(lesson ? `“${lesson.title}” has no questions yet.` : "There are no questions yet.");
    }
    const plan = planQuiz(pool, requested, this.#random);
    const run: QuizRun = {
      id: randomBytes(9).toString("base64url"),
      ...member,
      lessonId: lesson?.id ?? null,
      questionIds: plan.questionIds,
      choiceOrders: plan.choiceOrders,
      currentIndex: 0,
      correctCount: 0,
      status: "active",
      createdAt: this.#now(),
      finishedAt: null,
    };
    await writeTransaction(this.#db, (tx) => tx.insert(quizRuns).values(run).run());
    const step = this.#questionStep(run, 0);
    return plan.questionIds.length < requested
      ? { ...step, shortfall: { requested, available: plan.questionIds.length } }
      : step;
  }

  /**
   * Grades the choice at display `position` for question `questionIndex` and records everything
   * it earns (answer, review card, points, streak day) in one transaction. A repeated click on an
   * answered question changes nothing and returns the first answer with `duplicate: true`.
   */
  async answer(
    member: MemberKey,
    click: { runId: string; questionIndex: number; position: number },
  ): Promise<QuizAnswerStep> {
    const now = this.#now();
    const { run, answer, correctCount, duplicate } = await writeTransaction(this.#db, (tx) => {
      const run = this.#ownRun(tx.select().from(quizRuns).where(eq(quizRuns.id, click.runId)).get(), member);
      const earlier = tx
        .select()
        .from(quizAnswers)
        .where(and(eq(quizAnswers.runId, run.id), eq(quizAnswers.questionIndex, click.questionIndex)))
        .get();
      if (earlier) {
        // The score as it stood after that answer, not after later ones.
        const scored = tx
          .select({ correct: count() })
          .from(quizAnswers)
          .where(
            and(
              eq(quizAnswers.runId, run.id),
              eq(quizAnswers.correct, true),
              lte(quizAnswers.questionIndex, earlier.questionIndex),
            ),
          )
          .get();
        return { run, answer: earlier, correctCount: scored?.correct ?? 0, duplicate: true };
      }
      if (run.status !== "active" || click.questionIndex !== run.currentIndex) throw new UserError(quizEnded);

      const { question, order } = this.#questionAt(run, click.questionIndex);
      const graded = gradeAnswer(question, order, click.position);
      const answer = tx
        .insert(quizAnswers)
        .values({
          runId: run.id,
          ...member,
          questionIndex: click.questionIndex,
          questionId: question.id,
          chosenChoice: graded.chosenIndex,
          correct: graded.correct,
          answeredAt: now,
        })
        .returning()
        .get();
      const finished = click.questionIndex + 1 >= run.questionIds.length;
      const advanced = tx
        .update(quizRuns)
        .set({
          currentIndex: click.questionIndex + 1,
          correctCount: run.correctCount + (graded.correct ? 1 : 0),
          status: finished ? "finished" : "active",
          finishedAt: finished ? now : null,
        })
        .where(eq(quizRuns.id, run.id))
        .returning()
        .get();
      recordCardReview(tx, member, {
        questionId: question.id,
        chosenChoice: graded.chosenIndex,
        correct: graded.correct,
        source: "quiz",
        at: now,
      });
      if (graded.correct) {
        awardPoints(tx, member, {
          points: pointsPerCorrectAnswer,
          kind: "quiz_correct",
          sourceKey: `quiz:${run.id}:${click.questionIndex}`,
          at: now,
        });
      }
      recordActivityDay(tx, member, now);
      return { run: advanced, answer, correctCount: advanced.correctCount, duplicate: false };
    });
    return this.#answerStep(run, answer, correctCount, duplicate);
  }

  /** The run's current question, or its summary once every question is answered. */
  resume(member: MemberKey, runId: string): QuizQuestionStep | QuizSummaryStep {
    const run = this.#ownRun(this.#db.select().from(quizRuns).where(eq(quizRuns.id, runId)).get(), member);
    if (run.status === "active") return this.#questionStep(run, run.currentIndex);
    const answers = this.#db
      .select()
      .from(quizAnswers)
      .where(eq(quizAnswers.runId, run.id))
      .orderBy(asc(quizAnswers.questionIndex))
      .all();
    return {
      kind: "summary",
      runId: run.id,
      lessonTitle: this.#lessonTitle(run),
      total: run.questionIds.length,
      correctCount: run.correctCount,
      missed: answers
        .filter((answer) => !answer.correct)
        .map((answer) => this.#content.getQuestion(answer.questionId))
        .filter((question) => question !== undefined),
    };
  }

  #ownRun(run: QuizRun | undefined, member: MemberKey): QuizRun {
    // A run from another guild is treated as unknown rather than revealing it exists.
    if (!run || run.guildId !== member.guildId) throw new UserError(quizEnded);
    if (run.userId !== member.userId) throw new UserError(notYourQuiz);
    return run;
  }

  #questionAt(run: QuizRun, index: number): { question: Question; order: number[] } {
    const questionId = run.questionIds[index];
    const order = run.choiceOrders[index];
    const question = questionId === undefined ? undefined : this.#content.getQuestion(questionId);
    if (!question || !order) throw new UserError(quizEnded);
    if (order.length !== question.choices.length) {
      throw new UserError("This question changed since the quiz started — start a new one with /quiz.");
    }
    return { question, order };
  }

  #stepBase(run: QuizRun, index: number): QuizStepBase {
    const { question, order } = this.#questionAt(run, index);
    return {
      runId: run.id,
      lessonTitle: this.#lessonTitle(run),
      index,
      total: run.questionIds.length,
      question,
      choices: order
        .map((choiceIndex) => question.choices[choiceIndex])
        .filter((choice) => choice !== undefined),
    };
  }

  #questionStep(run: QuizRun, index: number): QuizQuestionStep {
    return { kind: "question", ...this.#stepBase(run, index) };
  }

  #answerStep(run: QuizRun, answer: QuizAnswer, correctCount: number, duplicate: boolean): QuizAnswerStep {
    const base = this.#stepBase(run, answer.questionIndex);
    const order = run.choiceOrders[answer.questionIndex] ?? [];
    const correctIndex = base.question.choices.findIndex((choice) => choice.correct);
    return {
      kind: "answer",
      ...base,
      duplicate,
      chosenPosition: order.indexOf(answer.chosenChoice),
      correctPosition: order.indexOf(correctIndex),
      correct: answer.correct,
      correctCount,
      isLast: answer.questionIndex === run.questionIds.length - 1,
    };
  }

  #lessonTitle(run: QuizRun): string | undefined {
    if (run.lessonId === null) return undefined;
    return this.#content.getLesson(run.lessonId)?.title ?? run.lessonId;
  }
}
