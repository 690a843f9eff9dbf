/** Why the database could not be used. */
export type DatabaseUnavailableReason = "locked" | "unwritable" | "full" | "corrupt";

export interface DatabaseUnavailableErrorOptions {
  cause?: unknown;
  /**
   * One line naming the path and what to do about it. Default: a general sentence for `reason`
   * (used where only the driver's error is known, such as a failed write after start-up).
   */
  message?: string;
}

/**
 * The SQLite file is locked by another process past the busy timeout, cannot be created or
 * written (permissions, read-only disk, a folder in the way), cannot grow (disk full,
 * `max_page_count` reached), or is not a SQLite database. Raised
 * instead of the driver's error so the bot can print one clear line that names the path and the
 * remedy, rather than a cryptic `SQLITE_BUSY` or `ENOENT` with a stack trace.
 */
export class DatabaseUnavailableError extends Error {
  readonly reason: DatabaseUnavailableReason;
  readonly path: string;

  constructor(
    path: string,
    reason: DatabaseUnavailableReason,
    options: DatabaseUnavailableErrorOptions = {},
  ) {
    super(options.message ?? defaultMessage(path, reason), { cause: options.cause });
    this.name = "DatabaseUnavailableError";
    this.reason = reason;
    this.path = path;
  }

  /**
   * Returns a DatabaseUnavailableError when `error` (or an error it wraps, such as drizzle's
   * `DrizzleQueryError`) is a lock, permission or corruption failure; undefined for anything else.
   */
  static from(error: unknown, path: string): DatabaseUnavailableError | undefined {
    const reason = classifyDatabaseError(error);
    return reason === undefined ? undefined : new DatabaseUnavailableError(path, reason, { cause: error });
  }
}

function defaultMessage(path: string, reason: DatabaseUnavailableReason): string {
  switch (reason) {
    case "locked":
      return `The database ${path} is locked by another process (is a second copy of the bot running?).`;
    case "unwritable":
      return `The database ${path} cannot be opened for writing; check that the file and its folder are writable, or set DATABASE_PATH to a writable place.`;
    case "full":
      return `The database ${path} cannot grow: its disk is full (or its max_page_count is reached).`;
    case "corrupt":
      return `The database ${path} is not a valid SQLite database (damaged, or another kind of file); restore it from a backup, or move it aside and restart to begin with an empty one.`;
  }
}

const lockedCodes = ["SQLITE_BUSY", "SQLITE_LOCKED"];
const corruptCodes = ["SQLITE_NOTADB", "SQLITE_CORRUPT"];
const fullCodes = ["SQLITE_FULL", "ENOSPC"];
const unwritableCodes = [
  "SQLITE_READONLY",
  "SQLITE_CANTOPEN",
  "SQLITE_PERM",
  "EACCES",
  "EPERM",
  "EROFS",
  "ENOTDIR",
  "EISDIR",
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
    if (corruptCodes.some((prefix) => code.startsWith(prefix))) return "corrupt";
    if (fullCodes.some((prefix) => code.startsWith(prefix))) return "full";
    if (unwritableCodes.some((prefix) => code.startsWith(prefix))) return "unwritable";
  }
  return undefined;
}
