import { afterEach, describe, expect, it } from "vitest";
import { GroupCommit } from "../../src/db/GroupCommit.ts";
import { activityDays } from "../../src/db/schema.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "./temporaryDatabase.ts";

describe("GroupCommit", () => {
  let temporary: TemporaryDatabase;
  afterEach(() => temporary?.remove());

  it("GIVEN 300 items submitted in one turn THEN they share a few transactions and each resolves after its commit", async () => {
    temporary = createTemporaryDatabase();
    const { db, sqlite } = temporary.open();
    const batches: number[] = [];
    const group = new GroupCommit<string, boolean>(
      db,
      (tx, days) => {
        batches.push(days.length);
        return days.map((day) => {
          tx.insert(activityDays).values({ guildId: "g", userId: day, day: "2026-03-02" }).run();
          // Inside the transaction: nothing of this batch is visible to other connections yet.
          return sqlite.inTransaction;
        });
      },
      { maxBatch: 100 },
    );
    const writes = Array.from({ length: 300 }, (_, index) => group.submit(`member${index}`));
    expect(await Promise.all(writes)).toEqual(Array(300).fill(true));
    expect(batches).toEqual([100, 100, 100]);
    const other = temporary.open().sqlite;
    expect(other.prepare("select count(*) as n from activity_days").get()).toEqual({ n: 300 });
  });

  it("GIVEN a batch that fails THEN every item in it is rejected and none is written, and later items still go through", async () => {
    temporary = createTemporaryDatabase();
    const { db } = temporary.open();
    const group = new GroupCommit<string, number>(db, (tx, users) =>
      users.map((userId) => {
        if (userId === "bad") throw new Error("no such thing");
        return tx.insert(activityDays).values({ guildId: "g", userId, day: "2026-03-02" }).run().changes;
      }),
    );
    const results = await Promise.allSettled(["a", "bad", "c"].map((userId) => group.submit(userId)));
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected", "rejected"]);
    await group.submit("d");
    await group.flush();
    expect(
      db
        .select()
        .from(activityDays)
        .all()
        .map((row) => row.userId),
    ).toEqual(["d"]);
  });

  it("GIVEN items in flight THEN flush resolves only once they are written", async () => {
    temporary = createTemporaryDatabase();
    const { db } = temporary.open();
    const written: string[] = [];
    const group = new GroupCommit<string, number>(db, (_tx, items) =>
      items.map((item) => written.push(item)),
    );
    void group.submit("x");
    void group.submit("y");
    expect(group.waiting).toBe(2);
    await group.flush();
    expect(written).toEqual(["x", "y"]);
    expect(group.waiting).toBe(0);
  });
});
