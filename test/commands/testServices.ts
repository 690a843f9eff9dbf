import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import type { ContentLibrary } from "../../src/lessons/content.ts";
import { LessonProgressService } from "../../src/lessons/LessonProgressService.ts";
import { createLogger } from "../../src/logger.ts";
import { LeaderboardService } from "../../src/progress/LeaderboardService.ts";
import { ProgressService } from "../../src/progress/ProgressService.ts";
import { QuizService } from "../../src/quiz/QuizService.ts";
import { seededRandom } from "../../src/random.ts";
import { ReviewService } from "../../src/review/ReviewService.ts";
import type { Services } from "../../src/services.ts";

/** The services the learning commands use; each command's handlers take a subset of them. */
export type LearningServices = Pick<
  Services,
  "logger" | "now" | "content" | "lessons" | "quiz" | "review" | "progress" | "leaderboard"
>;

/** The learning services wired as the app wires them, over a real database and a fixed clock. */
export function createLearningServices(
  connection: OpenedDatabase,
  content: ContentLibrary,
  now: () => Date,
): LearningServices {
  const options = { db: connection.db, content, now };
  return {
    logger: createLogger("silent"),
    now,
    content,
    lessons: new LessonProgressService(options),
    quiz: new QuizService({ ...options, random: seededRandom("command tests") }),
    review: new ReviewService(options),
    progress: new ProgressService(options),
    leaderboard: new LeaderboardService(options),
  };
}
