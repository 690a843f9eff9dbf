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

/**
 * The learning services wired as main.ts wires them, over a real database and a fixed clock.
 * Typed as the full Services because the router passes the whole set; the fields other features
 * add (models, votes…) are never touched by these commands.
 */
export function createLearningServices(
  connection: OpenedDatabase,
  content: ContentLibrary,
  now: () => Date,
): Services {
  const options = { db: connection.db, content, now };
  const learning: Pick<
    Services,
    "logger" | "now" | "content" | "lessons" | "quiz" | "review" | "progress" | "leaderboard"
  > = {
    logger: createLogger("silent"),
    now,
    content,
    lessons: new LessonProgressService(options),
    quiz: new QuizService({ ...options, random: seededRandom("command tests") }),
    review: new ReviewService(options),
    progress: new ProgressService(options),
    leaderboard: new LeaderboardService(options),
  };
  return learning as Services;
}
