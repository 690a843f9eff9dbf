import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { commands } from "../../commands/index.ts";
import type { App } from "../../src/app.ts";
import type { ClassScheduler } from "../../src/classes/ClassScheduler.ts";
import { loadConfig } from "../../src/config.ts";
import type { DiscordPlatform } from "../../src/discord/createDiscordPlatform.ts";
import { deployCommands } from "../../src/discord/deployCommands.ts";
import { createLogger } from "../../src/logger.ts";
import type { RandomSource } from "../../src/random.ts";
import { startDiscordBot } from "../../src/startBot.ts";
import type { DiscordDouble } from "../discord/DiscordDouble.ts";

export interface TestBot {
  app: App;
  platform: DiscordPlatform;
  databasePath: string;
  /** Stops the bot the way SIGTERM does: drain, disconnect, close the database. */
  stop(): Promise<void>;
}

export interface TestBotOptions {
  /** Reuse a database file (to test restarts); a fresh temp file by default. */
  databasePath?: string;
  contentDir?: string;
  /** Extra environment variables, as the bot would read them. */
  env?: Record<string, string>;
  /** The app's clock, to test days and due dates; the real time by default. Discord's side keeps real time. */
  now?: () => Date;
  /** The app's randomness (quizzes, votes, seeds); `Math.random` by default. */
  random?: RandomSource;
  /** Timers of class deadlines and idle ends; real timers by default. */
  classScheduler?: ClassScheduler;
}

/** A temporary folder removed when the returned function is called. */
export function temporaryFolder(prefix = "lm-tutor-"): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the real bot (real config parsing, database, lessons, dispatcher and discord.js client)
 * against a Discord double, after deploying the commands to the double's guild the way
 * `npm run deploy-commands` would, so the double can check options like Discord's client does.
 */
export async function startTestBot(double: DiscordDouble, options: TestBotOptions = {}): Promise<TestBot> {
  const ownFolder = options.databasePath ? undefined : temporaryFolder();
  const databasePath = options.databasePath ?? path.join(ownFolder?.dir ?? "", "bot.sqlite");
  const config = loadConfig({
    DISCORD_TOKEN: double.token,
    DISCORD_API_URL: double.apiUrl,
    DISCORD_GUILD_ID: double.guild,
    DATABASE_PATH: databasePath,
    CONTENT_DIR: options.contentDir ?? path.resolve("content"),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...options.env,
  });
  const logger = createLogger(config.LOG_LEVEL);
  await deployCommandsTo(double);
  // The same start-up path as src/main.ts: platform, composition root, connection, resumed timers.
  const bot = await startDiscordBot(config, logger, {
    now: options.now,
    random: options.random,
    classScheduler: options.classScheduler,
  });
  return {
    app: bot.app,
    platform: bot.platform,
    databasePath,
    async stop() {
      await bot.stop();
      ownFolder?.remove();
    },
  };
}

/** Registers the bot's slash commands with the double's guild, as `npm run deploy-commands` does. */
export function deployCommandsTo(double: DiscordDouble): Promise<unknown> {
  return deployCommands({
    token: double.token,
    apiUrl: double.apiUrl,
    applicationId: double.applicationId,
    guildId: double.guild,
    commands: commands.map((command) => command.data),
  });
}
