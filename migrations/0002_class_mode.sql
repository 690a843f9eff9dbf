CREATE TABLE `class_answers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`class_id` text NOT NULL,
	`round_number` integer NOT NULL,
	`guild_id` text NOT NULL,
	`user_id` text NOT NULL,
	`user_name` text NOT NULL,
	`position` integer NOT NULL,
	`chosen_choice` integer NOT NULL,
	`correct` integer NOT NULL,
	`points` integer NOT NULL,
	`elapsed_ms` integer NOT NULL,
	`answered_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `class_answers_member_idx` ON `class_answers` (`guild_id`,`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `class_answers_round_member_unique` ON `class_answers` (`class_id`,`round_number`,`user_id`);--> statement-breakpoint
CREATE TABLE `class_rounds` (
	`class_id` text NOT NULL,
	`number` integer NOT NULL,
	`question_id` text NOT NULL,
	`choice_order` text NOT NULL,
	`message_id` text,
	`opened_at` integer NOT NULL,
	`closes_at` integer NOT NULL,
	`revealed_at` integer,
	PRIMARY KEY(`class_id`, `number`),
	FOREIGN KEY (`class_id`) REFERENCES `classes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `classes` (
	`id` text PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`lesson_id` text NOT NULL,
	`host_id` text NOT NULL,
	`host_name` text NOT NULL,
	`stage_message_id` text,
	`question_seconds` integer NOT NULL,
	`question_count` integer NOT NULL,
	`questions_requested` integer NOT NULL,
	`snippet_index` integer DEFAULT 0 NOT NULL,
	`next_demo` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`end_reason` text,
	`started_at` integer NOT NULL,
	`last_activity_at` integer NOT NULL,
	`ended_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `classes_running_channel_unique` ON `classes` (`channel_id`) WHERE "classes"."status" = 'running';--> statement-breakpoint
CREATE INDEX `classes_guild_idx` ON `classes` (`guild_id`,`started_at`);