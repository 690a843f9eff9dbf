import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { type AppTransaction, writeTransaction } from "../../src/db/writeTransaction.ts";
import { UserError } from "../../src/errors.ts";
import { awardPoints } from "../../src/progress/awardPoints.ts";
import { seededRandom } from "../../src/random.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "./temporaryDatabase.ts";

const member = { guildId: "guild-1", userId: "user-1" };
const at = new Date("2025-03-10T12:00:00Z");

let temporary: TemporaryDatabase;
/** Opened as the bot opens it: no synchronous busy wait. */
let connection: OpenedDatabase;
/** Another program holding the database, such as a backup script. */
let other: Database.Database;
let ticks: number;
let ticker: NodeJS.Timeout;

beforeEach(() => {
  temporary = createTemporaryDatabase();
  connection = temporary.open({ busyTimeoutMs: 0 });
  other = new Database(temporary.path, { timeout: 0 });
  ticks = 0;
  ticker = setInterval(() => ticks++, 10);
});
afterEach(() => {
  clearInterval(ticker);
  if (other.inTransaction) other.exec("ROLLBACK");
  other.close();
  temporary.remove();
});

function pointsOf(userId: string): number {
  return connection.sqlite
    .prepare("select coalesce(sum(points), 0) from score_events where user_id = ?")
    .pluck()
    .get(userId) as number;
}

const awardOnePoint = (sourceKey: string) => (tx: AppTransaction) =>
  awardPoints(tx, member, { points: 1, kind: "test", sourceKey, at });

describe("writeTransaction", () => {
  it("GIVEN another connection holds the write lock for 300 ms THEN the write waits without blocking the event loop and succeeds", async () => {
    other.exec("BEGIN IMMEDIATE");
    // Released by a timer on this thread: it can fire only if the waiting write leaves the loop free.
    setTimeout(() => other.exec("COMMIT"), 300);

    await writeTransaction(connection.db, awardOnePoint("a"), { random: seededRandom("retry") });

    expect(pointsOf(member.userId)).toBe(1);
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it("GIVEN the lock is held longer than the bound THEN DatabaseUnavailableError (locked) after the bound, nothing written, and the event loop kept running", async () => {
    other.exec("BEGIN IMMEDIATE");
    const startedAt = performance.now();

    const failure = await writeTransaction(connection.db, awardOnePoint("b"), {
      random: seededRandom("retry"),
    }).catch((error: unknown) => error);

    const waitedMs = performance.now() - startedAt;
    other.exec("ROLLBACK");
    expect(failure).toMatchObject({ name: "DatabaseUnavailableError", reason: "locked" });
    // The default bound is 2 s; a 10 ms interval ticks ~200 times in that time when nothing blocks.
    expect(waitedMs).toBeGreaterThanOrEqual(2000);
    expect(ticks).toBeGreaterThanOrEqual(50);
    expect(pointsOf(member.userId)).toBe(0);

    await writeTransaction(connection.db, awardOnePoint("b"));
    expect(pointsOf(member.userId)).toBe(1);
  });

  it("GIVEN the work itself fails THEN it is not retried and the error is the work's own", async () => {
    let runs = 0;
    const failing = writeTransaction(connection.db, () => {
      runs++;
      throw new UserError("no such quiz");
    });
    await expect(failing).rejects.toThrow(UserError);
    expect(runs).toBe(1);
  });
});
