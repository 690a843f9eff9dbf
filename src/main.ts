import path from "node:path";
import { createApp } from "./app.ts";
import { ConfigError, loadConfig, loadDotEnv } from "./config.ts";
import { DatabaseUnavailableError } from "./db/DatabaseUnavailableError.ts";
import { ContentDirError } from "./lessons/loadContent.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createPairDownloadOffer } from "./pairs/createPairDownloadOffer.ts";
import { checkPairFiles, downloadableFiles } from "./pairs/downloadPairFiles.ts";
import { defaultPair, loadPairCatalogue } from "./pairs/loadPairCatalogue.ts";
import { type Playground, startPlayground } from "./playground/startPlayground.ts";
import { startDiscordBot } from "./startBot.ts";

/** Failures that stop the bot at start with one clear line instead of a stack trace. */
function isStartupError(error: unknown): error is Error {
  return (
    error instanceof ConfigError ||
    error instanceof DatabaseUnavailableError ||
    error instanceof ContentDirError
  );
}

/** Stops once on SIGINT or SIGTERM, then exits 0. */
function onSignals(logger: Logger, stop: () => Promise<void>): void {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      logger.info({ reason: signal }, "shutting down");
      void stop().then(() => {
        logger.info("stopped cleanly");
        process.exit(0);
      });
    });
  }
}

async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  // In the playground the terminal is the interface, so only warnings and errors reach stderr.
  const logger: Logger = config.DISCORD_TOKEN
    ? createLogger(config.LOG_LEVEL)
    : createLogger("warn", { plain: true });
  process.on("unhandledRejection", (error) => logger.error({ err: error }, "unhandled rejection"));

  if (config.DISCORD_TOKEN) {
    const bot = await startDiscordBot(config, logger);
    onSignals(logger, () => bot.stop());
    return;
  }

  // On a machine with internet, `npm start` is enough: when the default pair's files are missing,
  // the playground offers to download them on the first command that needs them, and the models
  // load once that offer is over.
  const pair = defaultPair(loadPairCatalogue(config));
  const missing = downloadableFiles(await checkPairFiles(pair, config.MODELS_DIR)).length > 0;
  const offerDownload = missing && !config.MODELS_AUTO_DOWNLOAD;

  // The playground prints through the dispatcher the app builds, and the app edits messages
  // through the playground: the editor forwards to it once it exists.
  let playground: Playground | undefined;
  const app = await createApp(config, logger, {
    editor: { edit: async (address, view) => playground?.editor.edit(address, view) },
    loadModelsAtStart: !offerDownload,
  });
  playground = startPlayground({
    downloadOffer: offerDownload
      ? createPairDownloadOffer({
          pair,
          modelsDir: config.MODELS_DIR,
          hfEndpoint: config.HF_ENDPOINT,
          onSettled: () => app.models.start(),
        })
      : undefined,
    dispatcher: app.dispatcher,
    input: process.stdin,
    output: process.stdout,
    filesDir: path.resolve("playground-output"),
    color: !config.NO_COLOR,
  });
  app.resume();
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      playground?.close();
      await app.close();
    })();
    return stopping;
  };
  onSignals(logger, stop);
  await playground.finished;
  await stop();
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
