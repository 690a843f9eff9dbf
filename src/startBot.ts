import { type App, type AppPlatform, createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { createDiscordPlatform, type DiscordPlatform } from "./discord/createDiscordPlatform.ts";
import type { Logger } from "./logger.ts";

/** What tests may set beyond the configuration: the clock, randomness, the edit rate. */
export type BotOptions = Omit<AppPlatform, "editor">;

export interface RunningBot {
  app: App;
  platform: DiscordPlatform;
  /** Stops the way SIGTERM does: no new work, running generations end, drain, disconnect, close. */
  stop(): Promise<void>;
}

/**
 * Starts the bot on Discord: the platform first (its message editor goes into the features),
 * then the app through the one composition root, then the connection, then resumed vote timers.
 * `src/main.ts` and the end-to-end tests both start the bot through here.
 */
export async function startDiscordBot(
  config: Config,
  logger: Logger,
  options: BotOptions = {},
): Promise<RunningBot> {
  if (!config.DISCORD_TOKEN) throw new Error("startDiscordBot needs DISCORD_TOKEN");
  const platform = createDiscordPlatform({
    token: config.DISCORD_TOKEN,
    apiUrl: config.DISCORD_API_URL,
    logger,
  });
  const app = await createApp(config, logger, { ...options, editor: platform.editor });
  try {
    await platform.connect(app.dispatcher, {
      channelDeleted: (channelId) => app.channelDeleted(channelId),
    });
  } catch (error) {
    await app.close();
    throw error;
  }
  app.resume();
  let stopping: Promise<void> | undefined;
  return {
    app,
    platform,
    stop() {
      stopping ??= (async () => {
        await app.close();
        await platform.disconnect();
      })();
      return stopping;
    },
  };
}
