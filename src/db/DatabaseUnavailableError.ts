/** Why the database could not be used. */
export type DatabaseUnavailableReason = "locked" | "unwritable" | "full";

/**
 * The SQLite file is locked by another process past the busy timeout, cannot be created or
 * written (permissions, read-only disk), or cannot grow (disk full, `max_page_count` reached).
 * Raised instead of the driver's error so the bot can log one clear line and apologise, rather
 * than crash on a cryptic `SQLITE_BUSY`.
 */
export class DatabaseUnavailableError extends Error {
  readonly reason: DatabaseUnavailableReason;
  readonly path: string;

  constructor(path: string, reason: DatabaseUnavailableReason, options?: { cause?: unknown }) {
    super(describeReason(path, reason), options);
    this.name = "DatabaseUnavailableError";
    this.reason = reason;
    this.path = path;
  }

  /**
   * Returns a DatabaseUnavailableError when `error` (or an error it wraps, such as drizzle's
   * `DrizzleQueryError`) is a lock or permission failure; undefined for anything else.
   */
  static from(error: unknown, path: string): DatabaseUnavailableError | undefined {
    const reason = classifyDatabaseError(error);
    return reason === undefined ? undefined : new DatabaseUnavailableError(path, reason, { cause: error });
  }
}

function describeReason(path: string, reason: DatabaseUnavailableReason): string {
  switch (reason) {
    case "locked":
      return `The database ${path} is locked by another process (is a second copy of the bot running?).`;
    case "unwritable":
      return `The database ${path} cannot be opened for writing; check that the file and its folder are writable.`;
    case "full":
      return `The database ${path} cannot grow: its disk is full (or its max_page_count is reached).`;
  }
}

const lockedCodes = ["SQLITE_BUSY", "SQLITE_LOCKED"];
const fullCodes = ["SQLITE_FULL", "ENOSPC"];
const unwritableCodes = [
  "SQLITE_READONLY",
  "SQLITE_CANTOPEN",
  "SQLITE_PERM",
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOTDIR",
  "EEXIST",
];

function classifyDatabaseError(error: unknown): DatabaseUnavailableReason | undefined {
  for (
    let current = error, depth = 0;
    current instanceof Error && depth < 5;
    current = current.cause, depth++
  ) {
    const code = (current as { code?: unknown }).code;
    if (typeof code !== "string") continue;
    if (lockedCodes.some((prefix) => code.startsWith(prefix))) return "locked";
    if (fullCodes.some((prefix) => code.startsWith(prefix))) return "full";
    if (unwritableCodes.some((prefix) => code.startsWith(prefix))) return "unwritable";
  }
  return undefined;
}
