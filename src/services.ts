import type { ClassService } from "./classes/ClassService.ts";
import type { CompareService } from "./compare/CompareService.ts";
import type { ContentLibrary } from "./lessons/content.ts";
import type { LessonProgressService } from "./lessons/LessonProgressService.ts";
import type { Logger } from "./logger.ts";
import type { NextTokenService } from "./nexttoken/NextTokenService.ts";
import type { LeaderboardService } from "./progress/LeaderboardService.ts";
import type { ProgressService } from "./progress/ProgressService.ts";
import type { QuizService } from "./quiz/QuizService.ts";
import type { ReviewService } from "./review/ReviewService.ts";
import type { PairStatusService } from "./status/PairStatusReport.ts";
import type { TokenizeService } from "./tokenize/TokenizeService.ts";

/**
 * Everything command handlers may use, built once in `main.ts` (or a test). Handlers declare the
 * subset they need; each feature adds its own field here.
 */
export interface Services {
  logger: Logger;
  /** Current time; tests pass a fixed clock. */
  now: () => Date;
  /** Lessons and questions loaded from CONTENT_DIR. */
  content: ContentLibrary;
  /** Reading lessons snippet by snippet (`/lesson`). */
  lessons: LessonProgressService;
  /** Quiz runs, grading and points (`/quiz`). */
  quiz: QuizService;
  /** Spaced repetition of answered questions (`/review`). */
  review: ReviewService;
  /** A member's learning record (`/progress`). */
  progress: ProgressService;
  /** Points per guild (`/leaderboard`). */
  leaderboard: LeaderboardService;
  /** Base vs instruct comparisons, `/template` and blind votes (`/compare`). */
  compare: CompareService;
  /** Next-token probabilities of both models, stepped through one token at a time (`/nexttoken`). */
  nextToken: NextTokenService;
  /** How each model's tokenizer splits a text (`/tokenize`). */
  tokenizer: TokenizeService;
  /** Live classes: a host, a lesson on stage, question rounds for the room (`/class`). */
  classes: ClassService;
  /** Where each model pair runs and how it is doing (`/status`). */
  status: PairStatusService;
}
