import { type Logger, pino } from "pino";

export type { Logger };

/**
 * JSON logs to stderr. Anything that could carry a secret is redacted so a token never reaches
 * the log even when an error object embeds request headers.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          "token",
          "*.token",
          "authorization",
          "*.authorization",
          "headers.authorization",
          "DISCORD_TOKEN",
          "*.DISCORD_TOKEN",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}
