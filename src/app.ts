import { commands } from "../commands/index.ts";
import type { Config } from "./config.ts";
import { type OpenedDatabase, openDatabase } from "./db/openDatabase.ts";
import { Dispatcher } from "./interactions/Dispatcher.ts";
import { formatContentProblem } from "./lessons/formatContentProblem.ts";
import { LessonProgressService } from "./lessons/LessonProgressService.ts";
import { loadContent } from "./lessons/loadContent.ts";
import type { Logger } from "./logger.ts";
import { LeaderboardService } from "./progress/LeaderboardService.ts";
import { ProgressService } from "./progress/ProgressService.ts";
import { QuizService } from "./quiz/QuizService.ts";
import { ReviewService } from "./review/ReviewService.ts";
import type { Services } from "./services.ts";

/**
 * Short, because better-sqlite3 waits synchronously: while one statement waits for a lock, no
 * other member's interaction can even be acknowledged. A member who hits a lock gets a polite
 * "try again" instead (nothing half-written: each answer is one transaction).
 */
const busyTimeoutMs = 250;

export interface App {
  services: Services;
  dispatcher: Dispatcher;
  database: OpenedDatabase;
  /** Waits for running interactions (bounded), then releases models and the database. */
  close(): Promise<void>;
}

/**
 * Builds the real objects and wires them together: database (migrated), lessons, feature
 * services and the dispatcher that Discord and the playground share. The one composition root.
 */
export async function createApp(
  config: Config,
  logger: Logger,
  now: () => Date = () => new Date(),
): Promise<App> {
  const content = await loadContent(config.CONTENT_DIR);
  for (const problem of content.problems) {
    logger.warn(`lesson file skipped: ${formatContentProblem(problem, config.CONTENT_DIR)}`);
  }
  const lessonCount = content.allLessons().length;
  logger.info({ tracks: content.tracks.length, lessons: lessonCount }, "lessons loaded");

  const database = openDatabase(config.DATABASE_PATH, { busyTimeoutMs });
  const learning = { db: database.db, content, now };
  const services: Services = {
    logger,
    now,
    content,
    lessons: new LessonProgressService(learning),
    quiz: new QuizService(learning),
    review: new ReviewService(learning),
    progress: new ProgressService(learning),
    leaderboard: new LeaderboardService(learning),
  };
  const dispatcher = new Dispatcher(commands, services, logger);

  let closed = false;
  return {
    services,
    dispatcher,
    database,
    async close() {
      if (closed) return;
      closed = true;
      await dispatcher.close();
      database.close();
    },
  };
}
