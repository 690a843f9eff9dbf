import { and, eq, sql } from "drizzle-orm";
import { DatabaseUnavailableError } from "../db/DatabaseUnavailableError.ts";
import type { MemberKey } from "../db/MemberKey.ts";
import type { AppDatabase } from "../db/openDatabase.ts";
import { lessonProgress } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { UserError } from "../errors.ts";
import { recordActivityDay } from "../progress/recordActivityDay.ts";
import type { ContentLibrary, Lesson, Track } from "./content.ts";
import { findLesson } from "./findLesson.ts";

export interface LessonProgressServiceOptions {
  db: AppDatabase;
  content: ContentLibrary;
  now: () => Date;
}

/** `read`: Done pressed; `reading`: opened but not finished; `new`: never opened. */
export type LessonStatus = "read" | "reading" | "new";

export interface LessonListEntry {
  lesson: Lesson;
  status: LessonStatus;
  /** 1-based number of the furthest snippet opened; 0 when never opened. */
  snippetsReached: number;
}

export interface LessonOverview {
  tracks: { track: Track; lessons: LessonListEntry[] }[];
  readCount: number;
  lessonCount: number;
  /** What to read next: the lesson in progress, else the first unread one in course order. */
  nextUp?: LessonListEntry;
}

/** One snippet of a lesson as a member sees it. */
export interface LessonPage {
  lesson: Lesson;
  trackTitle: string;
  /** Zero-based snippet index. */
  index: number;
  /** True once the member pressed Done on this lesson. */
  completed: boolean;
  /** The lesson after this one in reading order, if any. */
  nextLesson: Lesson | undefined;
  /** Lessons this one builds on (a suggestion, shown on its first page). */
  buildsOn: Lesson[];
}

type LessonProgressRow = typeof lessonProgress.$inferSelect;

/**
 * Recording how far a member read is worth less than showing the page promptly, so a page turn
 * waits only briefly for another connection's write lock.
 */
const pageTurnMaxWaitMs = 250;

/** Lessons read snippet by snippet, remembering how far each member got. */
export class LessonProgressService {
  readonly #db: AppDatabase;
  readonly #content: ContentLibrary;
  readonly #now: () => Date;

  constructor(options: LessonProgressServiceOptions) {
    this.#db = options.db;
    this.#content = options.content;
    this.#now = options.now;
  }

  /** Every track and lesson with the member's status on each. */
  overview(member: MemberKey): LessonOverview {
    const rows = this.#db
      .select()
      .from(lessonProgress)
      .where(and(eq(lessonProgress.guildId, member.guildId), eq(lessonProgress.userId, member.userId)))
      .all();
    const byLesson = new Map(rows.map((row) => [row.lessonId, row]));
    const tracks = this.#content.tracks.map((track) => ({
      track,
      lessons: track.lessons.map((lesson) => listEntry(lesson, byLesson.get(lesson.id))),
    }));
    const entries = tracks.flatMap((track) => track.lessons);
    return {
      tracks,
      readCount: entries.filter((entry) => entry.status === "read").length,
      lessonCount: entries.length,
      nextUp:
        entries.find((entry) => entry.status === "reading") ??
        entries.find((entry) => entry.status === "new"),
    };
  }

  /**
   * Opens a lesson by id or title (see {@link findLesson}) where the member left off: the furthest
   * snippet reached, or the first one for a new or already finished lesson.
   */
  open(member: MemberKey, lessonQuery: string): Promise<LessonPage> {
    const lesson = findLesson(this.#content, lessonQuery);
    const row = this.#progressOf(member, lesson.id);
    const resumeAt = row && row.completedAt === null ? row.furthestSnippet : 0;
    return this.turnTo(member, lesson.id, resumeAt);
  }

  /** Shows snippet `index` (clamped to the lesson) and records it as reached. */
  async turnTo(member: MemberKey, lessonId: string, index: number): Promise<LessonPage> {
    const lesson = this.#lessonById(lessonId);
    const clamped = Math.min(Math.max(index, 0), lesson.snippets.length - 1);
    const now = this.#now();
    const record = () =>
      writeTransaction(
        this.#db,
        (tx) => {
          recordActivityDay(tx, member, now);
          return tx
            .insert(lessonProgress)
            .values({ ...member, lessonId, furthestSnippet: clamped, updatedAt: now })
            .onConflictDoUpdate({
              target: [lessonProgress.guildId, lessonProgress.userId, lessonProgress.lessonId],
              set: {
                furthestSnippet: sql`max(${lessonProgress.furthestSnippet}, excluded.furthest_snippet)`,
                updatedAt: now,
              },
            })
            .returning()
            .get();
        },
        { maxWaitMs: pageTurnMaxWaitMs },
      );
    let row: LessonProgressRow;
    try {
      row = await record();
    } catch (error) {
      // Reading must not fail because another program holds the write lock: show the page and
      // skip recording it; the next page or Done records progress again.
      if (!(error instanceof DatabaseUnavailableError && error.reason === "locked")) throw error;
      row = this.#progressOf(member, lessonId) ?? {
        ...member,
        lessonId,
        furthestSnippet: clamped,
        completedAt: null,
        updatedAt: now,
      };
    }
    return this.#page(lesson, clamped, row);
  }

  /** Marks the lesson read (pressing Done on its last snippet); repeating it changes nothing. */
  async complete(member: MemberKey, lessonId: string): Promise<LessonPage> {
    const lesson = this.#lessonById(lessonId);
    const last = lesson.snippets.length - 1;
    const now = this.#now();
    const row = await writeTransaction(this.#db, (tx) => {
      recordActivityDay(tx, member, now);
      return tx
        .insert(lessonProgress)
        .values({ ...member, lessonId, furthestSnippet: last, completedAt: now, updatedAt: now })
        .onConflictDoUpdate({
          target: [lessonProgress.guildId, lessonProgress.userId, lessonProgress.lessonId],
          set: {
            furthestSnippet: last,
            completedAt: sql`coalesce(${lessonProgress.completedAt}, excluded.completed_at)`,
            updatedAt: now,
          },
        })
        .returning()
        .get();
    });
    return this.#page(lesson, last, row);
  }

  #progressOf(member: MemberKey, lessonId: string): LessonProgressRow | undefined {
    return this.#db
      .select()
      .from(lessonProgress)
      .where(
        and(
          eq(lessonProgress.guildId, member.guildId),
          eq(lessonProgress.userId, member.userId),
          eq(lessonProgress.lessonId, lessonId),
        ),
      )
      .get();
  }

  #lessonById(lessonId: string): Lesson {
    const lesson = this.#content.getLesson(lessonId);
    if (!lesson)
      throw new UserError("This lesson is no longer available — run /lesson to see the current ones.");
    return lesson;
  }

  #page(lesson: Lesson, index: number, row: LessonProgressRow): LessonPage {
    const lessons = this.#content.allLessons();
    const position = lessons.findIndex((candidate) => candidate.id === lesson.id);
    return {
      lesson,
      trackTitle: this.#content.tracks.find((track) => track.id === lesson.trackId)?.title ?? lesson.trackId,
      index,
      completed: row.completedAt !== null,
      nextLesson: lessons[position + 1],
      buildsOn: lesson.requires.flatMap((id) => this.#content.getLesson(id) ?? []),
    };
  }
}

function listEntry(lesson: Lesson, row: LessonProgressRow | undefined): LessonListEntry {
  if (!row) return { lesson, status: "new", snippetsReached: 0 };
  return {
    lesson,
    status: row.completedAt === null ? "reading" : "read",
    snippetsReached: Math.min(row.furthestSnippet + 1, lesson.snippets.length),
  };
}
