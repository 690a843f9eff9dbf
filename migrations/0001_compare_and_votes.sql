CREATE TABLE `blind_vote_ballots` (
	`vote_id` text NOT NULL,
	`member_id` text NOT NULL,
	`choice` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`vote_id`, `member_id`),
	FOREIGN KEY (`vote_id`) REFERENCES `blind_votes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `blind_votes` (
	`id` text PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`message_id` text,
	`author_id` text NOT NULL,
	`base_letter` text NOT NULL,
	`closes_at` integer NOT NULL,
	`revealed_at` integer
);
--> statement-breakpoint
CREATE TABLE `compare_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`guild_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`user_id` text NOT NULL,
	`prompt` text NOT NULL,
	`mode` text NOT NULL,
	`temperature` real NOT NULL,
	`top_p` real NOT NULL,
	`max_tokens` integer NOT NULL,
	`seed` integer NOT NULL,
	`blind` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`prompts_shown` text,
	`results` text,
	`created_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE INDEX `compare_runs_member_idx` ON `compare_runs` (`guild_id`,`user_id`,`created_at`);