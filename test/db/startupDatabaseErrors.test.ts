import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
let folder: string | undefined;
afterEach(() => {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
});

/** Starts the real entry point in the terminal playground (no token) with stdin closed. */
function startBot(databasePath: string) {
  return spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
    cwd: projectRoot,
    env: { ...process.env, DISCORD_TOKEN: "", DATABASE_PATH: databasePath, NO_COLOR: "1" },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 20_000,
    // SIGKILL: a start-up stuck in a synchronous loop never runs the SIGTERM handler.
    killSignal: "SIGKILL",
  });
}

describe("starting the bot with a database it cannot use", () => {
  it("GIVEN a corrupt database file THEN it prints one line naming the file and what to do, no stack, and exits 1", () => {
    folder = mkdtempSync(path.join(tmpdir(), "lm-tutor-start-"));
    const databasePath = path.join(folder, "lm-tutor.sqlite");
    writeFileSync(databasePath, "not a database at all, just some text\n".repeat(10));
    const run = startBot(databasePath);
    expect(run.error).toBeUndefined();
    expect(run.stderr.trim().split("\n")).toEqual([
      `The database ${databasePath} is not a valid SQLite database (damaged, or another kind of file); restore it from a backup, or move it aside and restart to begin with an empty one.`,
    ]);
    expect(run.status).toBe(1);
  });

  it.skipIf(!existsSync("/proc/self"))(
    "GIVEN DATABASE_PATH in a folder that cannot be created THEN it prints one line naming the folder, no stack, and exits 1",
    () => {
      const run = startBot("/proc/lm-tutor/lm-tutor.sqlite");
      expect(run.error).toBeUndefined();
      expect(run.stderr.trim().split("\n")).toEqual([
        "The folder /proc/lm-tutor for the database does not exist and cannot be created (ENOENT at /proc/lm-tutor); create it with write permission for the bot's user, or set DATABASE_PATH to a writable place.",
      ]);
      expect(run.status).toBe(1);
    },
  );
});
