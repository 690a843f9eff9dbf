import { and, count, countDistinct, eq, isNotNull, sql, sum } from "drizzle-orm";
import type { MemberKey } from "../db/MemberKey.ts";
import type { AppDatabase } from "../db/openDatabase.ts";
import {
  activityDays,
  classAnswers,
  lessonProgress,
  quizAnswers,
  quizRuns,
  reviewLogs,
  scoreEvents,
} from "../db/schema.ts";
import type { ContentLibrary } from "../lessons/content.ts";
import { loadReviewQueue } from "../review/loadReviewQueue.ts";
import { computeStreak, type Streak } from "./computeStreak.ts";
import { utcDay } from "./utcDay.ts";

export interface ProgressServiceOptions {
  db: AppDatabase;
  content: ContentLibrary;
  now: () => Date;
}

/** One member's learning record in one guild. */
export interface ProgressSummary {
  lessonsRead: number;
  lessonsTotal: number;
  /** Lessons read per track, in course order. */
  tracks: { title: string; read: number; total: number }[];
  quizzesFinished: number;
  /** Live classes (`/class`) in which the member answered at least once. */
  classesJoined: number;
  questionsAnswered: number;
  correctAnswers: number;
  /** Correct quiz answers over all quiz answers, 0–1; undefined before the first answer. */
  accuracy: number | undefined;
  reviewsDone: number;
  streak: Streak;
  dueReviews: number;
  /** When the next review becomes due, if none is due now. */
  nextReviewDue: Date | undefined;
  /** All-time leaderboard points. */
  points: number;
  /** Quiz answers per UTC day (`YYYY-MM-DD`), oldest first, for the accuracy-over-time chart. */
  history: { day: string; correct: number; total: number }[];
  now: Date;
}

/** Reads members' learning records; never writes. */
export class ProgressService {
  readonly #db: AppDatabase;
  readonly #content: ContentLibrary;
  readonly #now: () => Date;

  constructor(options: ProgressServiceOptions) {
    this.#db = options.db;
    this.#content = options.content;
    this.#now = options.now;
  }

  summarize(member: MemberKey): ProgressSummary {
    const now = this.#now();
    const db = this.#db;
    const lessonIds = new Set(this.#content.allLessons().map((lesson) => lesson.id));
    const completed = db
      .select({ lessonId: lessonProgress.lessonId })
      .from(lessonProgress)
      .where(and(ofMember(lessonProgress, member), isNotNull(lessonProgress.completedAt)))
      .all();
    const quizzes = db
      .select({ finished: count() })
      .from(quizRuns)
      .where(and(ofMember(quizRuns, member), eq(quizRuns.status, "finished")))
      .get();
    const answers = db
      .select({
        answered: count(),
        correct: sql<number>`coalesce(sum(${quizAnswers.correct}), 0)`,
      })
      .from(quizAnswers)
      .where(ofMember(quizAnswers, member))
      .get();
    const reviews = db
      .select({ done: count() })
      .from(reviewLogs)
      .where(and(ofMember(reviewLogs, member), eq(reviewLogs.source, "review")))
      .get();
    const days = db
      .select({ day: activityDays.day })
      .from(activityDays)
      .where(ofMember(activityDays, member))
      .all();
    const points = db
      .select({ total: sum(scoreEvents.points).mapWith(Number) })
      .from(scoreEvents)
      .where(ofMember(scoreEvents, member))
      .get();
    const dayOfAnswer = sql<string>`strftime('%Y-%m-%d', ${quizAnswers.answeredAt} / 1000, 'unixepoch')`;
    const history = db
      .select({
        day: dayOfAnswer,
        correct: sql<number>`coalesce(sum(${quizAnswers.correct}), 0)`,
        total: count(),
      })
      .from(quizAnswers)
      .where(ofMember(quizAnswers, member))
      .groupBy(dayOfAnswer)
      .orderBy(dayOfAnswer)
      .all();
    const queue = loadReviewQueue(db, this.#content, member, now);
    const classes = db
      .select({ joined: countDistinct(classAnswers.classId) })
      .from(classAnswers)
      .where(ofMember(classAnswers, member))
      .get();
    const answered = answers?.answered ?? 0;
    const correct = answers?.correct ?? 0;
    const readIds = new Set(completed.map((row) => row.lessonId));
    return {
      lessonsRead: completed.filter((row) => lessonIds.has(row.lessonId)).length,
      lessonsTotal: lessonIds.size,
      tracks: this.#content.tracks.map((track) => ({
        title: track.title,
        read: track.lessons.filter((lesson) => readIds.has(lesson.id)).length,
        total: track.lessons.length,
      })),
      quizzesFinished: quizzes?.finished ?? 0,
      classesJoined: classes?.joined ?? 0,
      questionsAnswered: answered,
      correctAnswers: correct,
      accuracy: answered > 0 ? correct / answered : undefined,
      reviewsDone: reviews?.done ?? 0,
      streak: computeStreak(
        days.map((row) => row.day),
        utcDay(now),
      ),
      dueReviews: queue.due.length,
      nextReviewDue: queue.due.length === 0 ? queue.nextDue : undefined,
      points: points?.total ?? 0,
      history,
      now,
    };
  }
}

type MemberScopedTable =
  | typeof lessonProgress
  | typeof classAnswers
  | typeof quizRuns
  | typeof quizAnswers
  | typeof reviewLogs
  | typeof activityDays
  | typeof scoreEvents;

function ofMember(table: MemberScopedTable, member: MemberKey) {
  return and(eq(table.guildId, member.guildId), eq(table.userId, member.userId));
}
