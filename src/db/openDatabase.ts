import { mkdirSync } from "node:fs";
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
 * Throws {@link DatabaseUnavailableError} when the file is locked or cannot be written.
 */
export function openDatabase(databasePath: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  let sqlite: Database.Database | undefined;
  try {
    if (databasePath !== ":memory:") mkdirSync(path.dirname(databasePath), { recursive: true });
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
    throw DatabaseUnavailableError.from(error, databasePath) ?? error;
  }
}
