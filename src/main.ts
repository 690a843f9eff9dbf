import path from "node:path";
import { type App, createApp } from "./app.ts";
import { ConfigError, loadConfig, loadDotEnv } from "./config.ts";
import { DatabaseUnavailableError } from "./db/DatabaseUnavailableError.ts";
import { type DiscordBot, startDiscordBot } from "./discord/startDiscordBot.ts";
import { ContentDirError } from "./lessons/loadContent.ts";
import { createLogger, type Logger } from "./logger.ts";
import { startPlayground } from "./playground/startPlayground.ts";

/** Failures that stop the bot at start with one clear line instead of a stack trace. */
function isStartupError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof ContentDirError
  );
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // In the playground the terminal is the interface, so only warnings and errors reach stderr.
  const logger: Logger = config.DISCORD_TOKEN
    ? createLogger(config.LOG_LEVEL)
    : createLogger("warn", { plain: true });
  const app: App = await createApp(config, logger);

  let bot: DiscordBot | undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, "shutting down");
      await bot?.stop();
      await app.close();
      logger.info("stopped cleanly");
    })();
    return stopping;
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      void shutdown(signal).then(() => process.exit(0));
    });
  }
  process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled rejection"));

  if (config.DISCORD_TOKEN) {
    bot = await startDiscordBot({
      token: config.DISCORD_TOKEN,
      apiUrl: config.DISCORD_API_URL,
      dispatcher: app.dispatcher,
      logger,
    });
    app.services.compare.attachChannelMessages(bot.channelMessages);
    return;
  }

  const playground = startPlayground({
    dispatcher: app.dispatcher,
    input: process.stdin,
    output: process.stdout,
    filesDir: path.resolve("playground-output"),
    color: !config.NO_COLOR,
  });
  app.services.compare.attachChannelMessages(playground.channelMessages);
  await playground.finished;
  await shutdown("end of input");
  process.exit(0);
}

main().catch((error: unknown) => {
  if (isStartupError(error)) {
    console.error(error.message);
  } else {
    console.error("LM Tutor could not start:", error);
  }
  process.exit(1);
});
