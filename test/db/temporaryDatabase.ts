import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type OpenDatabaseOptions, type OpenedDatabase, openDatabase } from "../../src/db/openDatabase.ts";

/** A folder for one test's database files, removed by `remove()`. */
export interface TemporaryDatabase {
  path: string;
  /** Opens (and migrates) the database file; every connection is closed by `remove()`. */
  open(options?: OpenDatabaseOptions): OpenedDatabase;
  remove(): void;
}

/** A real SQLite file in a fresh temporary folder, opened with the real migrations. */
export function createTemporaryDatabase(): TemporaryDatabase {
  const folder = mkdtempSync(path.join(tmpdir(), "lm-tutor-db-"));
  const databasePath = path.join(folder, "data", "test.sqlite");
  const connections: OpenedDatabase[] = [];
  return {
    path: databasePath,
    open(options) {
      const connection = openDatabase(databasePath, options);
      connections.push(connection);
      return connection;
    },
    remove() {
      for (const connection of connections) connection.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
