import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { DatabaseUnavailableError } from "../../src/db/DatabaseUnavailableError.ts";
import { openDatabase } from "../../src/db/openDatabase.ts";
import { QuizService } from "../../src/quiz/QuizService.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import { openInChildProcess, unprivilegedUid } from "./openInChildProcess.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "./temporaryDatabase.ts";

let temporary: TemporaryDatabase;
afterEach(() => temporary.remove());

describe("openDatabase", () => {
  it("GIVEN a path in a folder that does not exist THEN it creates the folder and applies every migration", () => {
    temporary = createTemporaryDatabase();
    const { sqlite } = temporary.open();
    const tables = sqlite
      .prepare(
        "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name",
      )
      .pluck()
      .all();
    expect(tables).toEqual([
      "__drizzle_migrations",
      "activity_days",
      "blind_vote_ballots",
      "blind_votes",
      "class_answers",
      "class_rounds",
      "classes",
      "compare_runs",
      "lesson_progress",
      "quiz_answers",
      "quiz_runs",
      "review_cards",
      "review_logs",
      "score_events",
    ]);
  });

  it("GIVEN a fresh connection THEN WAL, foreign keys, NORMAL sync and a busy timeout are on", () => {
    temporary = createTemporaryDatabase();
    const { sqlite } = temporary.open();
    expect(sqlite.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(sqlite.pragma("foreign_keys", { simple: true })).toBe(1);
    expect(sqlite.pragma("synchronous", { simple: true })).toBe(1);
    expect(sqlite.pragma("busy_timeout", { simple: true })).toBe(5000);
  });

  it("GIVEN the database was opened before THEN opening it again applies nothing twice", () => {
    temporary = createTemporaryDatabase();
    temporary.open().close();
    const { sqlite } = temporary.open();
    const migrationFiles = readdirSync(fileURLToPath(new URL("../../migrations", import.meta.url))).filter(
      (file) => file.endsWith(".sql"),
    );
    expect(sqlite.prepare("select count(*) from __drizzle_migrations").pluck().get()).toBe(
      migrationFiles.length,
    );
  });

  it("GIVEN another process holds an exclusive lock on a new database THEN opening fails with DatabaseUnavailableError (locked)", () => {
    temporary = createTemporaryDatabase();
    mkdirSync(path.dirname(temporary.path), { recursive: true });
    const other = new Database(temporary.path);
    try {
      other.exec("BEGIN EXCLUSIVE");
      const opening = () => openDatabase(temporary.path, { busyTimeoutMs: 50 });
      expect(opening).toThrow(DatabaseUnavailableError);
      expect(opening).toThrow(/locked by another process/);
    } finally {
      other.close();
    }
  });

  it("GIVEN the database is locked while answering THEN the answer fails with DatabaseUnavailableError and nothing is half-written", async () => {
    temporary = createTemporaryDatabase();
    const first = temporary.open();
    const member = { guildId: "g1", userId: "u1" };
    const quiz = new QuizService({ db: first.db, content: sampleContent(), now: () => new Date() });
    const { runId } = await quiz.start(member, { lesson: "tokens" });
    first.close();
    const blocked = temporary.open({ busyTimeoutMs: 50 });
    const blocker = new Database(temporary.path);
    blocker.exec("BEGIN IMMEDIATE");
    const blockedQuiz = new QuizService({ db: blocked.db, content: sampleContent(), now: () => new Date() });
    try {
      await expect(blockedQuiz.answer(member, { runId, questionIndex: 0, position: 0 })).rejects.toThrow(
        expect.objectContaining({ name: "DatabaseUnavailableError", reason: "locked" }),
      );
    } finally {
      blocker.close();
    }
    expect(blocked.sqlite.prepare("select count(*) from quiz_answers").pluck().get()).toBe(0);
  });

  it("GIVEN a path under a regular file THEN opening fails with DatabaseUnavailableError (unwritable)", () => {
    temporary = createTemporaryDatabase();
    const file = path.join(path.dirname(path.dirname(temporary.path)), "not-a-folder");
    writeFileSync(file, "");
    expect(() => openDatabase(path.join(file, "db.sqlite"))).toThrow(
      expect.objectContaining({ name: "DatabaseUnavailableError", reason: "unwritable" }),
    );
  });

  it("GIVEN a path whose folder would sit under a regular file THEN the message names that file and says to choose another place", () => {
    temporary = createTemporaryDatabase();
    const file = path.join(path.dirname(path.dirname(temporary.path)), "not-a-folder");
    writeFileSync(file, "");
    expect(() => openDatabase(path.join(file, "data", "db.sqlite"))).toThrow(
      `The database ${path.join(file, "data", "db.sqlite")} cannot be created: ${file} is a file, not a folder; set DATABASE_PATH to a place inside a folder.`,
    );
  });

  it.skipIf(!existsSync("/proc/self"))(
    "GIVEN a folder that cannot be created (under /proc) THEN opening fails at once with the folder and what to do, instead of retrying forever",
    () => {
      const outcome = openInChildProcess("/proc/lm-tutor/data/db.sqlite");
      expect(outcome).toEqual({
        name: "DatabaseUnavailableError",
        reason: "unwritable",
        message:
          "The folder /proc/lm-tutor/data for the database does not exist and cannot be created (ENOENT at /proc/lm-tutor); create it with write permission for the bot's user, or set DATABASE_PATH to a writable place.",
      });
    },
  );

  it("GIVEN the path is a folder THEN the message says so and suggests a file inside it", () => {
    temporary = createTemporaryDatabase();
    mkdirSync(temporary.path, { recursive: true });
    expect(() => openDatabase(temporary.path)).toThrow(
      `DATABASE_PATH ${temporary.path} is a folder, not a file; set DATABASE_PATH to a file, such as ${path.join(temporary.path, "lm-tutor.sqlite")}.`,
    );
  });

  it("GIVEN a file that is not a SQLite database THEN the message names it and says to move it aside or restore a backup", () => {
    temporary = createTemporaryDatabase();
    mkdirSync(path.dirname(temporary.path), { recursive: true });
    writeFileSync(temporary.path, "these are lesson notes, not a database\n".repeat(20));
    expect(() => openDatabase(temporary.path)).toThrow(
      expect.objectContaining({
        name: "DatabaseUnavailableError",
        reason: "corrupt",
        message: `The database ${temporary.path} is not a valid SQLite database (damaged, or another kind of file); restore it from a backup, or move it aside and restart to begin with an empty one.`,
      }),
    );
  });

  describe.skipIf(unprivilegedUid === undefined)("as a user that chmod applies to", () => {
    /** A temporary folder the unprivileged user owns, so chmod decides what it may write. */
    function ownedFolder(): string {
      temporary = createTemporaryDatabase();
      const folder = path.dirname(temporary.path);
      mkdirSync(folder, { recursive: true });
      for (const entry of [path.dirname(folder), folder])
        chownSync(entry, unprivilegedUid ?? 0, unprivilegedUid ?? 0);
      return folder;
    }

    it("GIVEN a read-only folder THEN the message names the folder and asks for write permission or another DATABASE_PATH", () => {
      const folder = ownedFolder();
      chmodSync(folder, 0o555);
      expect(openInChildProcess(temporary.path, { uid: unprivilegedUid })).toEqual({
        name: "DatabaseUnavailableError",
        reason: "unwritable",
        message: `The database folder ${folder} is not writable (SQLite writes test.sqlite and its -wal and -shm files there); give the bot's user write permission on it, or set DATABASE_PATH to a writable place.`,
      });
    });

    it("GIVEN a read-only database file THEN the message names the file and asks for write permission or another DATABASE_PATH", () => {
      const folder = ownedFolder();
      expect(openInChildProcess(temporary.path, { uid: unprivilegedUid })).toEqual({ opened: true });
      chmodSync(temporary.path, 0o444);
      expect(path.dirname(temporary.path)).toBe(folder);
      expect(openInChildProcess(temporary.path, { uid: unprivilegedUid })).toEqual({
        name: "DatabaseUnavailableError",
        reason: "unwritable",
        message: `The database file ${temporary.path} is read-only; give the bot's user write permission on it, or set DATABASE_PATH to another file.`,
      });
    });
  });
});
