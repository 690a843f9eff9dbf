import { commands } from "../commands/index.ts";
import type { ClassScheduler } from "./classes/ClassScheduler.ts";
import { ClassService } from "./classes/ClassService.ts";
import { CompareEngine } from "./compare/CompareEngine.ts";
import { CompareRunStore } from "./compare/CompareRunStore.ts";
import { CompareService } from "./compare/CompareService.ts";
import { storedCompareViewModel } from "./compare/compareViewModel.ts";
import { renderCompare } from "./compare/renderCompare.ts";
import { type Config, readEngineApiKey } from "./config.ts";
import { type OpenedDatabase, openDatabase } from "./db/openDatabase.ts";
import { Dispatcher } from "./interactions/Dispatcher.ts";
import { formatContentProblem } from "./lessons/formatContentProblem.ts";
import { LessonProgressService } from "./lessons/LessonProgressService.ts";
import { loadContent } from "./lessons/loadContent.ts";
import { defaultThreads, type ModelRole, type ModelStatus } from "./llm/LocalModels.ts";
import type { Logger } from "./logger.ts";
import { NextTokenService } from "./nexttoken/NextTokenService.ts";
import { loadPairCatalogue } from "./pairs/loadPairCatalogue.ts";
import type { ModelPair, PairCatalogue } from "./pairs/ModelPair.ts";
import { PairRuntime } from "./pairs/PairRuntime.ts";
import { LeaderboardService } from "./progress/LeaderboardService.ts";
import { ProgressService } from "./progress/ProgressService.ts";
import { QuizService } from "./quiz/QuizService.ts";
import type { RandomSource } from "./random.ts";
import { ReviewService } from "./review/ReviewService.ts";
import type { Services } from "./services.ts";
import { TokenizeService } from "./tokenize/TokenizeService.ts";
import type { MessageEditor } from "./ui/interaction.ts";
import { LiveMessages } from "./ui/LiveMessages.ts";
import { BlindVoteService } from "./votes/BlindVoteService.ts";
import { BlindVoteStore } from "./votes/BlindVoteStore.ts";

/**
 * None: better-sqlite3 waits for a lock synchronously, and while one statement waits no other
 * member's interaction can even be acknowledged. `writeTransaction` waits between attempts on a
 * timer instead, then asks the member to try again (nothing half-written: each answer is one
 * transaction).
 */
const busyTimeoutMs = 0;

/** What the platform (Discord or the terminal) and tests give the app. */
export interface AppPlatform {
  /** How the platform edits a message it posted earlier (streams, vote reveals). */
  editor: MessageEditor;
  /** The app's clock. Default: the real time. */
  now?: () => Date;
  /** Randomness for quizzes, votes and seeds. Default `Math.random`. */
  random?: RandomSource;
  /** Shortest gap between two streamed edits of one message. Default 1000 ms. */
  editIntervalMs?: number;
  /** Timers for class deadlines and idle ends; tests pass one they drive. Default: real timers. */
  classScheduler?: ClassScheduler;
  /**
   * Start loading the default pair at once. Default true. False leaves it to the first command
   * that needs a model (the playground does this while it offers to download missing files).
   */
  loadModelsAtStart?: boolean;
}

export interface App {
  services: Services;
  /** Every pair this bot knows (built-in, the operator's file, the settings). */
  catalogue: PairCatalogue;
  /** The pairs at run time: loaded on demand, the default one in the background at start. */
  pairs: PairRuntime;
  dispatcher: Dispatcher;
  database: OpenedDatabase;
  /** Resumes work left by an earlier run (vote timers, class deadlines); call once the platform is connected. */
  resume(): void;
  /** The platform saw a channel or thread deleted (a class running there ends). */
  channelDeleted(channelId: string): void;
  /** Stops generations, waits for running interactions (bounded), then releases models and the database. */
  close(): Promise<void>;
}

/**
 * Builds the real objects and wires them together: database (migrated), lessons, feature
 * services, the live-message service over the platform's editor, and the dispatcher that Discord
 * and the playground share. The one composition root: `src/main.ts` and the tests go through it.
 */
export async function createApp(config: Config, logger: Logger, platform: AppPlatform): Promise<App> {
  const now = platform.now ?? (() => new Date());
  const random = platform.random ?? Math.random;
  const content = await loadContent(config.CONTENT_DIR);
  for (const problem of content.problems) {
    logger.warn(`lesson file skipped: ${formatContentProblem(problem, config.CONTENT_DIR)}`);
  }
  logger.info({ tracks: content.tracks.length, lessons: content.allLessons().length }, "lessons loaded");

  const database = openDatabase(config.DATABASE_PATH, { busyTimeoutMs });
  const learning = { db: database.db, content, now };
  const catalogue = loadPairCatalogue(config);
  const pairs = createPairs(config, catalogue, logger);
  if (platform.loadModelsAtStart ?? true) pairs.preloadDefault();
  const liveMessages = new LiveMessages(platform.editor, {
    minIntervalMs: platform.editIntervalMs,
    onError: (error) => logger.warn({ err: error }, "a streaming edit failed"),
  });
  const runs = new CompareRunStore(database.db);
  const interrupted = runs.markInterrupted(now());
  if (interrupted > 0)
    logger.warn({ runs: interrupted }, "comparisons cut short by the last stop marked interrupted");
  const votes = new BlindVoteService({
    store: new BlindVoteStore({ db: database.db }),
    liveMessages,
    render: (vote) => {
      const record = runs.get(vote.id);
      return record ? renderCompare(storedCompareViewModel(record, vote)) : undefined;
    },
    logger,
    now,
    random,
  });
  const engine = new CompareEngine({
    pairs,
    defaultMaxTokens: config.COMPARE_DEFAULT_MAX_TOKENS,
    maxTokensLimit: config.COMPARE_MAX_TOKENS_LIMIT,
    timeLimitMs: config.COMPARE_TIME_LIMIT_SECONDS * 1000,
  });
  const services: Services = {
    logger,
    now,
    content,
    lessons: new LessonProgressService(learning),
    quiz: new QuizService({ ...learning, random }),
    review: new ReviewService(learning),
    progress: new ProgressService(learning),
    leaderboard: new LeaderboardService(learning),
    compare: new CompareService({
      engine,
      pairs,
      runs,
      votes,
      liveMessages,
      logger,
      now,
      random,
    }),
    nextToken: new NextTokenService({ pairs, logger }),
    tokenizer: new TokenizeService(pairs),
    classes: new ClassService({
      db: database.db,
      content,
      liveMessages,
      logger,
      now,
      random,
      scheduler: platform.classScheduler,
      idleMinutes: config.CLASS_IDLE_MINUTES,
    }),
    status: pairs,
    catalogue,
  };
  const dispatcher = new Dispatcher({ commands, services, logger });

  let closed = false;
  return {
    services,
    catalogue,
    pairs,
    dispatcher,
    database,
    resume: () => {
      votes.resume();
      services.classes.resume();
    },
    channelDeleted: (channelId) => {
      void services.classes
        .channelDeleted(channelId)
        .catch((error: unknown) =>
          logger.warn({ err: error, channelId }, "could not end the class of a deleted channel"),
        );
    },
    async close() {
      if (closed) return;
      closed = true;
      // Stop generations first ("the bot is restarting") so handlers streaming them finish their last edit.
      await services.compare.close();
      await dispatcher.close();
      await services.classes.close();
      await services.nextToken.close();
      await pairs.close();
      try {
        runs.markInterrupted(now());
      } catch (error) {
        logger.warn({ err: error }, "could not mark unfinished comparisons; the next start will");
      }
      database.close();
    },
  };
}

/**
 * The pairs of the catalogue at run time. Each pair's in-process models are sized and threaded by
 * the LLM_* and COMPARE_* settings; a pair's engines are reached over HTTP.
 */
function createPairs(config: Config, catalogue: PairCatalogue, logger: Logger): PairRuntime {
  return new PairRuntime({
    catalogue,
    local: {
      modelsDir: config.MODELS_DIR,
      autoDownload: config.MODELS_AUTO_DOWNLOAD,
      gpu: config.LLM_GPU === "false" ? false : "auto",
      threads: config.LLM_THREADS ?? defaultThreads(),
      contextSize: config.LLM_CONTEXT_SIZE,
      maxPromptTokens: config.COMPARE_MAX_PROMPT_TOKENS,
      maxTokens: config.COMPARE_MAX_TOKENS_LIMIT,
      parallel: config.COMPARE_PARALLEL,
      // At debug, llama.cpp's own account of what it loads and allocates comes too.
      llamaLogLevel: config.LOG_LEVEL === "debug" || config.LOG_LEVEL === "trace" ? "info" : "warn",
      log: (level, message) => logger[level]({ source: "llama.cpp" }, message),
    },
    queue: {
      maxPromptTokens: config.COMPARE_MAX_PROMPT_TOKENS,
      cooldownSeconds: config.COMPARE_COOLDOWN_SECONDS,
    },
    memoryBudgetMb: config.MODEL_MEMORY_BUDGET_MB,
    apiKey: (variable) => readEngineApiKey(variable),
    onModelStatus: (pair, role, status) => logModelStatus(logger, pair, role, status),
    log: (level, message) => logger[level](message),
  });
}

function logModelStatus(logger: Logger, pair: ModelPair, role: ModelRole, status: ModelStatus): void {
  // Name what the operator set: the variable for their own models, else the pair.
  const owner =
    pair.origin === "settings" ? (role === "base" ? "BASE_MODEL" : "INSTRUCT_MODEL") : `pair ${pair.id}`;
  const setting = pair.origin === "settings" ? `${owner}=${status.spec}` : `${owner}: ${status.spec}`;
  switch (status.state) {
    case "missing":
      // `status.file` already names the spec looked for.
      logger.warn(
        `${role} model not found: ${status.file} (${owner}). ${status.hint}. /compare is unavailable until then; lessons and quizzes work.`,
      );
      break;
    case "failed":
      logger.error(`${role} model could not be loaded (${setting}): ${status.reason}`);
      break;
    case "misconfigured":
      logger.error(status.error.message);
      break;
    default:
      break;
  }
}
