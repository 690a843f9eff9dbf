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
 * Logs to stderr: JSON lines for the bot (for log tools), or short plain lines for the terminal
 * playground. Anything that could carry a secret is redacted, so a token never reaches the log
 * even when an error object embeds request headers.
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
    },
    options.destination ?? (options.plain ? plainLines() : pino.destination(2)),
  );
}
