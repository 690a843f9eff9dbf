import { Writable } from "node:stream";
import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

const levelNames: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warning",
  50: "error",
  60: "fatal",
};

/** One readable line per log entry (`warning: …`), for the terminal playground. */
function plainLines(): DestinationStream {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) {
        if (line.trim() === "") continue;
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
          const detail = entry.err?.message ? ` (${entry.err.message})` : "";
          process.stderr.write(`${levelNames[entry.level ?? 30] ?? "log"}: ${entry.msg ?? ""}${detail}\n`);
        } catch {
          process.stderr.write(`${line}\n`);
        }
      }
      done();
    },
  });
}

/**
 * Interaction tokens sit inside REST routes (`/webhooks/<app>/<token>/…`,
 * `/interactions/<id>/<token>/callback`), so discord.js errors carry them in `url`, `message` and
 * `stack`; the route stays readable with `:token` in their place.
 */
const tokenInRoute = /\/(webhooks|interactions)\/(\d+)\/[^/?#\s"\\]+/g;
/** An interaction token anywhere else: base64 of `interaction:…`, as Discord issues them. */
const interactionToken = /aW50ZXJhY3Rpb24[A-Za-z0-9_-]*=*/g;
/** A bot token anywhere: Discord's three dot-separated base64url parts. */
const botToken = /[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}/g;

/**
 * Removes interaction and bot tokens from a finished log line, whatever field carries them
 * (an error's `url`, `requestBody`, `message` or `stack`, or a field nobody thought of).
 */
function redactTokens(line: string): string {
  return line
    .replace(tokenInRoute, "/$1/$2/:token")
    .replace(interactionToken, "[redacted]")
    .replace(botToken, "[redacted]");
}

/**
 * Logs to stderr: JSON lines for the bot (for log tools), or short plain lines for the terminal
 * playground. Anything that could carry a secret is redacted, so a token never reaches the log
 * even when an error object embeds request headers or a REST route.
 */
export function createLogger(
  level: string,
  options: { plain?: boolean; destination?: DestinationStream } = {},
): Logger {
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
      hooks: { streamWrite: redactTokens },
    },
    options.destination ?? (options.plain ? plainLines() : pino.destination(2)),
  );
}
