/**
 * Opens the database in a separate Node process, optionally as another user, and reports how it
 * went. Read-only folders and files only stop writes for an unprivileged user (root writes through
 * chmod), and a path under `/proc` used to hang the opener forever, which a child can be timed out
 * of while the test worker stays free.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const opener = fileURLToPath(new URL("./openDatabaseAndReport.ts", import.meta.url));

/** What the child saw: `opened`, or the error's name, reason and message. */
export interface OpenOutcome {
  opened?: boolean;
  name?: string;
  reason?: string;
  message?: string;
}

/** A user id that chmod applies to: the current one, or `nobody` when tests run as root. */
export const unprivilegedUid = process.getuid?.() === 0 ? 65534 : process.getuid?.();

export function openInChildProcess(databasePath: string, options: { uid?: number } = {}): OpenOutcome {
  const child = spawnSync(process.execPath, ["--import", "tsx", opener, databasePath], {
    encoding: "utf8",
    timeout: 20_000,
    // SIGKILL: an opener stuck in a synchronous loop would outlive the test.
    killSignal: "SIGKILL",
    stdio: ["ignore", "pipe", "pipe"],
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
  if (child.error) throw child.error;
  const lastLine = child.stdout.trim().split("\n").at(-1) ?? "";
  if (!lastLine.startsWith("{")) throw new Error(`the opener printed no outcome: ${child.stderr}`);
  return JSON.parse(lastLine) as OpenOutcome;
}
