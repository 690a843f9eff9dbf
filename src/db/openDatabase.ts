import { accessSync, constants, mkdirSync, type Stats, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { DatabaseUnavailableError } from "./DatabaseUnavailableError.ts";
import * as schema from "./schema.ts";

/** The typed drizzle database every feature service receives. */
export type AppDatabase = ReturnType<typeof drizzle<typeof schema>>;

export interface OpenDatabaseOptions {
  /**
   * How long a statement waits for another connection's lock before failing with
   * {@link DatabaseUnavailableError}. Default 5000 ms.
   */
  busyTimeoutMs?: number;
}

export interface OpenedDatabase {
  db: AppDatabase;
  /** The underlying connection, for pragmas and tests. */
  sqlite: Database.Database;
  /** Closes the connection (and checkpoints the WAL). Safe to call twice. */
  close(): void;
}

/** Resolved from this file, not the working directory, so `npm start` works from anywhere. */
const migrationsFolder = fileURLToPath(new URL("../../migrations", import.meta.url));

/**
 * Opens (creating if needed) the SQLite file at `databasePath`, configures it for a bot that
 * writes from one process while tools may read, and applies pending migrations.
 * Throws {@link DatabaseUnavailableError}, whose message names the path and the remedy, when the
 * file is locked, cannot be created or written, or is not a SQLite database.
 */
export function openDatabase(databasePath: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (databasePath !== ":memory:") prepareLocation(databasePath);
  let sqlite: Database.Database | undefined;
  try {
    sqlite = new Database(databasePath, { timeout: busyTimeoutMs });
    sqlite.pragma(`busy_timeout = ${busyTimeoutMs}`);
    sqlite.pragma("journal_mode = WAL");
    // NORMAL is durable across application crashes in WAL mode; only a power loss can drop the
    // last commits.
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    const db = drizzle({ client: sqlite, schema });
    migrate(db, { migrationsFolder });
    const connection = sqlite;
    return {
      db,
      sqlite: connection,
      close: () => {
        if (connection.open) connection.close();
      },
    };
  } catch (error) {
    sqlite?.close();
    const shownPath = databasePath === ":memory:" ? databasePath : path.resolve(databasePath);
    throw DatabaseUnavailableError.from(error, shownPath) ?? error;
  }
}

/**
 * Checks, before SQLite sees the path, the problems SQLite reports badly ("unable to open
 * database file", or a bare ENOENT): a missing folder that cannot be created, a folder or file
 * the bot may not write, or a folder where the file should be. WAL mode writes `-wal` and `-shm`
 * files beside the database, so the folder itself must be writable, not just the file.
 */
function prepareLocation(databasePath: string): void {
  const file = path.resolve(databasePath);
  const folder = path.dirname(file);
  createFolder(folder, databasePath);
  if (!isWritable(folder)) {
    throw new DatabaseUnavailableError(databasePath, "unwritable", {
      message: `The database folder ${folder} is not writable (SQLite writes ${path.basename(file)} and its -wal and -shm files there); give the bot's user write permission on it, or set DATABASE_PATH to a writable place.`,
    });
  }
  const existing = statOrUndefined(file, databasePath);
  if (existing?.isDirectory()) {
    throw new DatabaseUnavailableError(databasePath, "unwritable", {
      message: `DATABASE_PATH ${file} is a folder, not a file; set DATABASE_PATH to a file, such as ${path.join(file, "lm-tutor.sqlite")}.`,
    });
  }
  if (existing && !isWritable(file)) {
    throw new DatabaseUnavailableError(databasePath, "unwritable", {
      message: `The database file ${file} is read-only; give the bot's user write permission on it, or set DATABASE_PATH to another file.`,
    });
  }
}

/**
 * Creates `folder` and its missing parents one level at a time. Not `mkdirSync(…, { recursive })`:
 * on a path under a pseudo file system such as `/proc` it retries forever instead of failing.
 */
function createFolder(folder: string, databasePath: string): void {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    const stats = statOrUndefined(current, databasePath);
    if (stats?.isDirectory()) break;
    if (stats) {
      throw new DatabaseUnavailableError(databasePath, "unwritable", {
        message: `The database ${path.resolve(databasePath)} cannot be created: ${current} is a file, not a folder; set DATABASE_PATH to a place inside a folder.`,
      });
    }
    missing.unshift(current);
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "error";
      throw new DatabaseUnavailableError(databasePath, "unwritable", {
        cause: error,
        message: `The folder ${folder} for the database does not exist and cannot be created (${code} at ${level}); create it with write permission for the bot's user, or set DATABASE_PATH to a writable place.`,
      });
    }
  }
}

/** The entry at `target`, or undefined when there is none (also when a parent is a file). */
function statOrUndefined(target: string, databasePath: string): Stats | undefined {
  try {
    return statSync(target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? "error";
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw new DatabaseUnavailableError(databasePath, "unwritable", {
      cause: error,
      message: `The database ${path.resolve(databasePath)} cannot be reached (${code} at ${target}); give the bot's user access to that folder, or set DATABASE_PATH to a writable place.`,
    });
  }
}

function isWritable(target: string): boolean {
  try {
    accessSync(target, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
