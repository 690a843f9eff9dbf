/** Child process of `openInChildProcess`: opens the database at argv[2] and prints one JSON line. */
import { openDatabase } from "../../src/db/openDatabase.ts";

const databasePath = process.argv[2] ?? "";
try {
  openDatabase(databasePath).close();
  console.log(JSON.stringify({ opened: true }));
} catch (error) {
  const { name, message, reason } = error as Error & { reason?: string };
  console.log(JSON.stringify({ name, reason, message }));
}
