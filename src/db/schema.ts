import { sql } from "drizzle-orm";
import {
  index,
  integer,
  primaryKey,
  real,
  sqliteTable,
  text,
  unique,
  uniqueIndex,
} from "drizzle-orm/sqlite-core";

/*
 * Every row belongs to one member of one guild (`guild_id` + `user_id`): progress earned in one
 * server never shows up in another. Times are integer milliseconds since the epoch (UTC).
 */

/** How far a member has read each lesson. */
export const lessonProgress = sqliteTable(
  "lesson_progress",
  {
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    lessonId: text("lesson_id").notNull(),
    /** Zero-based index of the furthest snippet opened. */
    furthestSnippet: integer("furthest_snippet").notNull(),
    /** Set when the member pressed Done on the last snippet. */
    completedAt: integer("completed_at", { mode: "timestamp_ms" }),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.userId, table.lessonId] })],
);

/** One quiz a member started; everything needed to resume it after a restart. */
export const quizRuns = sqliteTable(
  "quiz_runs",
  {
    /** Random, so an id from before a database reset never matches a new run. */
    id: text("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    /** Null for a quiz mixed across all lessons. */
    lessonId: text("lesson_id"),
    questionIds: text("question_ids", { mode: "json" }).$type<string[]>().notNull(),
    /** Per question, the original choice indexes in the order they are shown. */
    choiceOrders: text("choice_orders", { mode: "json" }).$type<number[][]>().notNull(),
    /** Index of the next question to answer; equals the question count once finished. */
    currentIndex: integer("current_index").notNull().default(0),
    correctCount: integer("correct_count").notNull().default(0),
    status: text("status", { enum: ["active", "finished"] })
      .notNull()
      .default("active"),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("quiz_runs_member_idx").on(table.guildId, table.userId, table.status)],
);

/** One graded answer in a quiz run. The unique key makes a repeated click count once. */
export const quizAnswers = sqliteTable(
  "quiz_answers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    runId: text("run_id")
      .notNull()
      .references(() => quizRuns.id, { onDelete: "cascade" }),
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    questionIndex: integer("question_index").notNull(),
    questionId: text("question_id").notNull(),
    /** Index of the chosen choice in the lesson file (not the shuffled position). */
    chosenChoice: integer("chosen_choice").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    unique("quiz_answers_run_question_unique").on(table.runId, table.questionIndex),
    index("quiz_answers_member_idx").on(table.guildId, table.userId),
  ],
);

/** A ts-fsrs card per member and question: every question answered once is scheduled for review. */
export const reviewCards = sqliteTable(
  "review_cards",
  {
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    questionId: text("question_id").notNull(),
    due: integer("due", { mode: "timestamp_ms" }).notNull(),
    stability: real("stability").notNull(),
    difficulty: real("difficulty").notNull(),
    elapsedDays: integer("elapsed_days").notNull(),
    scheduledDays: integer("scheduled_days").notNull(),
    learningSteps: integer("learning_steps").notNull(),
    reps: integer("reps").notNull(),
    lapses: integer("lapses").notNull(),
    /** ts-fsrs `State`: 0 New, 1 Learning, 2 Review, 3 Relearning. */
    state: integer("state").notNull(),
    lastReview: integer("last_review", { mode: "timestamp_ms" }),
  },
  (table) => [
    primaryKey({ columns: [table.guildId, table.userId, table.questionId] }),
    index("review_cards_due_idx").on(table.guildId, table.userId, table.due),
  ],
);

/** Every scheduling step of a card, from a quiz answer or a review. */
export const reviewLogs = sqliteTable(
  "review_logs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    questionId: text("question_id").notNull(),
    source: text("source", { enum: ["quiz", "review", "class"] }).notNull(),
    /** The card's `reps` before this step; unique so one card state is graded at most once. */
    cardReps: integer("card_reps").notNull(),
    /** Index of the chosen choice in the lesson file. */
    chosenChoice: integer("chosen_choice").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
    /** ts-fsrs `Rating`: 1 Again, 3 Good. */
    rating: integer("rating").notNull(),
    state: integer("state").notNull(),
    due: integer("due", { mode: "timestamp_ms" }).notNull(),
    stability: real("stability").notNull(),
    difficulty: real("difficulty").notNull(),
    elapsedDays: integer("elapsed_days").notNull(),
    lastElapsedDays: integer("last_elapsed_days").notNull(),
    scheduledDays: integer("scheduled_days").notNull(),
    learningSteps: integer("learning_steps").notNull(),
    reviewedAt: integer("reviewed_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    unique("review_logs_card_step_unique").on(table.guildId, table.userId, table.questionId, table.cardReps),
  ],
);

/** UTC days on which a member learned something; streaks are computed from these. */
export const activityDays = sqliteTable(
  "activity_days",
  {
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    /** `YYYY-MM-DD` in UTC. */
    day: text("day").notNull(),
  },
  (table) => [primaryKey({ columns: [table.guildId, table.userId, table.day] })],
);

/**
 * Points, one row per thing that earned them. The leaderboard sums these; `source_key` is unique
 * so the same achievement can never be counted twice, whatever feature adds it.
 */
export const scoreEvents = sqliteTable(
  "score_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    points: integer("points").notNull(),
    /** What earned the points, for example `quiz_correct`. */
    kind: text("kind").notNull(),
    /** Identifies the achievement, for example `quiz:<runId>:<questionIndex>`. */
    sourceKey: text("source_key").notNull().unique(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("score_events_guild_time_idx").on(table.guildId, table.createdAt)],
);

/** One `/compare` run: what was asked, the exact prompts each model saw, and how it ended. */
export const compareRuns = sqliteTable(
  "compare_runs",
  {
    /** Random; carried by the run's buttons (Show prompts, Re-roll, Stop). */
    id: text("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    channelId: text("channel_id").notNull(),
    userId: text("user_id").notNull(),
    prompt: text("prompt").notNull(),
    /** The model pair it ran on, for Re-roll and Show prompts; null for runs from before pairs. */
    pairId: text("pair_id"),
    mode: text("mode", { enum: ["side-by-side", "three-way"] }).notNull(),
    temperature: real("temperature").notNull(),
    topP: real("top_p").notNull(),
    maxTokens: integer("max_tokens").notNull(),
    seed: integer("seed").notNull(),
    /** Posted as "Reply A" / "Reply B" for a blind vote. */
    blind: integer("blind", { mode: "boolean" }).notNull().default(false),
    /** `interrupted`: the bot stopped (or crashed) while it ran. */
    status: text("status", { enum: ["running", "finished", "failed", "interrupted"] }).notNull(),
    /** The exact text each model received, keyed by side (`base`, `instruct`, `instruct-raw`). */
    promptsShown: text("prompts_shown", { mode: "json" }).$type<Record<string, string>>(),
    /** Final text and stats per side, written when the run ends. */
    results: text("results", { mode: "json" }).$type<unknown>(),
    createdAt: integer("created_at", { mode: "timestamp_ms" }).notNull(),
    finishedAt: integer("finished_at", { mode: "timestamp_ms" }),
  },
  (table) => [index("compare_runs_member_idx").on(table.guildId, table.userId, table.createdAt)],
);

/** A blind "which one is the base model?" vote on a `/compare` message. */
export const blindVotes = sqliteTable("blind_votes", {
  /** The compare run's id. */
  id: text("id").primaryKey(),
  guildId: text("guild_id").notNull(),
  channelId: text("channel_id").notNull(),
  messageId: text("message_id"),
  authorId: text("author_id").notNull(),
  /** Which letter ("A" or "B") the base model's reply was posted under. */
  baseLetter: text("base_letter", { enum: ["A", "B"] }).notNull(),
  closesAt: integer("closes_at", { mode: "timestamp_ms" }).notNull(),
  revealedAt: integer("revealed_at", { mode: "timestamp_ms" }),
});

/** One member's current vote; changing it overwrites the row until the reveal. */
export const blindVoteBallots = sqliteTable(
  "blind_vote_ballots",
  {
    voteId: text("vote_id")
      .notNull()
      .references(() => blindVotes.id, { onDelete: "cascade" }),
    memberId: text("member_id").notNull(),
    choice: text("choice", { enum: ["A", "B"] }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.voteId, table.memberId] })],
);

/** A live class a host runs in one channel: the lesson on a stage message, question rounds, a scoreboard. */
export const classes = sqliteTable(
  "classes",
  {
    /** Random; carried by every button of the class. */
    id: text("id").primaryKey(),
    guildId: text("guild_id").notNull(),
    channelId: text("channel_id").notNull(),
    lessonId: text("lesson_id").notNull(),
    hostId: text("host_id").notNull(),
    hostName: text("host_name").notNull(),
    /** The public stage message (lesson page, host controls); null until it is posted. */
    stageMessageId: text("stage_message_id"),
    /** Seconds each question stays open. */
    questionSeconds: integer("question_seconds").notNull(),
    /** How many questions the class will ask (the lesson's count when it has fewer than asked). */
    questionCount: integer("question_count").notNull(),
    /** How many the host asked for at start. */
    questionsRequested: integer("questions_requested").notNull(),
    /** Zero-based index of the snippet on the stage. */
    snippetIndex: integer("snippet_index").notNull().default(0),
    /** Index of the lesson demo the Demo button runs next. */
    nextDemo: integer("next_demo").notNull().default(0),
    status: text("status", { enum: ["running", "ended"] }).notNull(),
    /** Why it ended: `host`, `admin`, `idle`, `channel-deleted`. */
    endReason: text("end_reason"),
    startedAt: integer("started_at", { mode: "timestamp_ms" }).notNull(),
    /** Last host action or reveal; an idle class ends itself after CLASS_IDLE_MINUTES. */
    lastActivityAt: integer("last_activity_at", { mode: "timestamp_ms" }).notNull(),
    endedAt: integer("ended_at", { mode: "timestamp_ms" }),
  },
  (table) => [
    // One running class per channel, held by the database itself.
    uniqueIndex("classes_running_channel_unique").on(table.channelId).where(sql`${table.status} = 'running'`),
    index("classes_guild_idx").on(table.guildId, table.startedAt),
  ],
);

/** One question round of a class. */
export const classRounds = sqliteTable(
  "class_rounds",
  {
    classId: text("class_id")
      .notNull()
      .references(() => classes.id, { onDelete: "cascade" }),
    /** 1-based position in the class. */
    number: integer("number").notNull(),
    questionId: text("question_id").notNull(),
    /** The original choice indexes in the order shown (A, B, C…). */
    choiceOrder: text("choice_order", { mode: "json" }).$type<number[]>().notNull(),
    /** The public question message; null until it is posted. */
    messageId: text("message_id"),
    openedAt: integer("opened_at", { mode: "timestamp_ms" }).notNull(),
    closesAt: integer("closes_at", { mode: "timestamp_ms" }).notNull(),
    /** When the round closed: revealed, or skipped by the host (then `skippedAt` is set too). */
    revealedAt: integer("revealed_at", { mode: "timestamp_ms" }),
    /** Set when the host voided the round: it pays nothing and counts in no total. */
    skippedAt: integer("skipped_at", { mode: "timestamp_ms" }),
  },
  (table) => [primaryKey({ columns: [table.classId, table.number] })],
);

/** One member's answer to one round. The unique key makes the first click the one that counts. */
export const classAnswers = sqliteTable(
  "class_answers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    classId: text("class_id").notNull(),
    roundNumber: integer("round_number").notNull(),
    guildId: text("guild_id").notNull(),
    userId: text("user_id").notNull(),
    userName: text("user_name").notNull(),
    /** Display position chosen (0 = A). */
    position: integer("position").notNull(),
    /** Index of the chosen choice in the lesson file. */
    chosenChoice: integer("chosen_choice").notNull(),
    correct: integer("correct", { mode: "boolean" }).notNull(),
    /** Speed points for a right answer (0 for a wrong one); paid to the leaderboard at the reveal. */
    points: integer("points").notNull(),
    /** From the question being posted to the click, as Discord timestamped it. */
    elapsedMs: integer("elapsed_ms").notNull(),
    answeredAt: integer("answered_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [
    unique("class_answers_round_member_unique").on(table.classId, table.roundNumber, table.userId),
    index("class_answers_member_idx").on(table.guildId, table.userId),
  ],
);
