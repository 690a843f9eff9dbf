import { commands } from "../commands/index.ts";
import { CompareEngine } from "./compare/CompareEngine.ts";
import { CompareService } from "./compare/CompareService.ts";
import type { Config } from "./config.ts";
import { type OpenedDatabase, openDatabase } from "./db/openDatabase.ts";
import { Dispatcher } from "./interactions/Dispatcher.ts";
import { formatContentProblem } from "./lessons/formatContentProblem.ts";
import { LessonProgressService } from "./lessons/LessonProgressService.ts";
import { loadContent } from "./lessons/loadContent.ts";
import { GenerationQueue } from "./llm/GenerationQueue.ts";
import { defaultThreads, LocalModels, type ModelRole, type ModelStatus } from "./llm/LocalModels.ts";
import type { Logger } from "./logger.ts";
import { NextTokenService } from "./nexttoken/NextTokenService.ts";
import { LeaderboardService } from "./progress/LeaderboardService.ts";
import { ProgressService } from "./progress/ProgressService.ts";
import { QuizService } from "./quiz/QuizService.ts";
import { ReviewService } from "./review/ReviewService.ts";
import type { Services } from "./services.ts";
import { BlindVoteStore } from "./votes/BlindVoteStore.ts";

/**
 * None: better-sqlite3 waits for a lock synchronously, and while one statement waits no other
 * member's interaction can even be acknowledged. `writeTransaction` waits between attempts on a
 * timer instead, then asks the member to try again (nothing half-written: each answer is one
 * transaction).
 */
const busyTimeoutMs = 0;

export interface App {
  services: Services;
  models: LocalModels;
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
  const models = createModels(config, logger);
  const queue = new GenerationQueue({
    slots: config.COMPARE_PARALLEL,
    maxPromptTokens: config.COMPARE_MAX_PROMPT_TOKENS,
    cooldownSeconds: config.COMPARE_COOLDOWN_SECONDS,
  });
  const engine = new CompareEngine({
    models,
    queue,
    defaultMaxTokens: config.COMPARE_DEFAULT_MAX_TOKENS,
    maxTokensLimit: config.COMPARE_MAX_TOKENS_LIMIT,
    timeLimitMs: config.COMPARE_TIME_LIMIT_SECONDS * 1000,
  });
  const services: Services = {
    logger,
    now,
    content,
    lessons: new LessonProgressService(learning),
    quiz: new QuizService(learning),
    review: new ReviewService(learning),
    progress: new ProgressService(learning),
    leaderboard: new LeaderboardService(learning),
    compare: new CompareService({
      engine,
      models,
      db: database.db,
      votes: new BlindVoteStore({ db: database.db }),
      logger,
      now,
      maxTokensLimit: config.COMPARE_MAX_TOKENS_LIMIT,
    }),
    nextToken: new NextTokenService({ models, logger, threads: config.LLM_THREADS ?? defaultThreads() }),
  };
  const dispatcher = new Dispatcher(commands, services, logger);

  let closed = false;
  return {
    services,
    models,
    dispatcher,
    database,
    async close() {
      if (closed) return;
      closed = true;
      // Stop generations first so handlers streaming them can finish their last edit.
      await services.compare.close();
      await dispatcher.close();
      await services.nextToken.close();
      await models.dispose();
      database.close();
    },
  };
}

/** Loads both models in the background; the bot is usable (lessons, quizzes) before they are. */
function createModels(config: Config, logger: Logger): LocalModels {
  const models = new LocalModels({
    base: config.BASE_MODEL,
    instruct: config.INSTRUCT_MODEL,
    modelsDir: config.MODELS_DIR,
    autoDownload: config.MODELS_AUTO_DOWNLOAD,
    gpu: config.LLM_GPU === "false" ? false : "auto",
    threads: config.LLM_THREADS ?? defaultThreads(),
    contextSize: config.LLM_CONTEXT_SIZE,
    parallel: config.COMPARE_PARALLEL,
    log: (level, message) => logger[level]({ source: "llama.cpp" }, message),
    onStatusChange: (role, status) => logModelStatus(logger, role, status),
  });
  models.start();
  return models;
}

function logModelStatus(logger: Logger, role: ModelRole, status: ModelStatus): void {
  const variable = role === "base" ? "BASE_MODEL" : "INSTRUCT_MODEL";
  switch (status.state) {
    case "missing":
      logger.warn(
        `${role} model not found: ${status.file} (${variable}=${status.spec}). ${status.hint}. /compare is unavailable until then; lessons and quizzes work.`,
      );
      break;
    case "failed":
      logger.error(`${role} model could not be loaded (${variable}=${status.spec}): ${status.reason}`);
      break;
    case "misconfigured":
      logger.error(status.error.message);
      break;
    default:
      break;
  }
}
