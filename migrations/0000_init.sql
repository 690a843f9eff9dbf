CREATE TABLE `activity_days` (
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	PRIMARY KEY(`guild_id`, `user_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `lesson_progress` (
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`furthest_snippet` integer NOT NULL,
	`completed_at` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`guild_id`, `user_id`, `lesson_id`)
);
--> statement-breakpoint
CREATE TABLE `quiz_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`question_index` integer NOT NULL,
	`question_id` text NOT NULL,
	`chosen_choice` integer NOT NULL,
	`correct` integer NOT NULL,
	`answered_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `quiz_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `quiz_answers_member_idx` ON `quiz_answers` (`guild_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_answers_run_question_unique` ON `quiz_answers` (`run_id`,`question_index`);--> statement-breakpoint
CREATE TABLE `quiz_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`lesson_id` text,
	`question_ids` text NOT NULL,
	`choice_orders` text NOT NULL,
	`current_index` integer DEFAULT 0 NOT NULL,
	`correct_count` integer DEFAULT 0 NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `quiz_runs_member_idx` ON `quiz_runs` (`guild_id`,`user_id`,`status`);--> statement-breakpoint
CREATE TABLE `review_cards` (
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`question_id` text NOT NULL,
	`due` integer NOT NULL,
	`stability` real NOT NULL,
	`difficulty` real NOT NULL,
	`elapsed_days` integer NOT NULL,
	`scheduled_days` integer NOT NULL,
	`learning_steps` integer NOT NULL,
	`reps` integer NOT NULL,
	`lapses` integer NOT NULL,
	`state` integer NOT NULL,
	`last_review` integer,
	PRIMARY KEY(`guild_id`, `user_id`, `question_id`)
);
--> statement-breakpoint
CREATE INDEX `review_cards_due_idx` ON `review_cards` (`guild_id`,`user_id`,`due`);--> statement-breakpoint
CREATE TABLE `review_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`question_id` text NOT NULL,
	`source` text NOT NULL,
	`card_reps` integer NOT NULL,
	`chosen_choice` integer NOT NULL,
	`correct` integer NOT NULL,
	`rating` integer NOT NULL,
	`state` integer NOT NULL,
	`due` integer NOT NULL,
	`stability` real NOT NULL,
	`difficulty` real NOT NULL,
	`elapsed_days` integer NOT NULL,
	`last_elapsed_days` integer NOT NULL,
	`scheduled_days` integer NOT NULL,
	`learning_steps` integer NOT NULL,
	`reviewed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `review_logs_card_step_unique` ON `review_logs` (`guild_id`,`user_id`,`question_id`,`card_reps`);--> statement-breakpoint
CREATE TABLE `score_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`points` integer NOT NULL,
	`kind` text NOT NULL,
	`source_key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `score_events_source_key_unique` ON `score_events` (`source_key`);--> statement-breakpoint
CREATE INDEX `score_events_guild_time_idx` ON `score_events` (`guild_id`,`created_at`);