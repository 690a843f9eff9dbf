import { afterEach, describe, expect, it } from "vitest";
import { scoreEvents } from "../../src/db/schema.ts";
import { BlindVoteStore } from "../../src/votes/BlindVoteStore.ts";
import { openBlindVote } from "../../src/votes/blindVote.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";

const start = new Date("2026-11-21T10:00:00Z");
const later = (seconds: number) => new Date(start.getTime() + seconds * 1000);

describe("BlindVoteStore", () => {
  let temporary: TemporaryDatabase | undefined;
  afterEach(() => temporary?.remove());

  function openStore() {
    temporary ??= createTemporaryDatabase();
    const database = temporary.open();
    return { store: new BlindVoteStore({ db: database.db }), database };
  }

  async function newVote(store: BlindVoteStore) {
    const vote = openBlindVote({
      id: "vote1",
      guildId: "g",
      channelId: "c",
      authorId: "author",
      now: start,
      durationSeconds: 60,
      random: () => 0.1,
    });
    await store.open(vote);
    return vote;
  }

  it("GIVEN ballots cast and changed THEN a restart keeps one ballot per member with the latest choice", async () => {
    const first = openStore();
    await newVote(first.store);
    expect((await first.store.cast("vote1", "m1", "A", later(1)))?.outcome).toBe("recorded");
    expect((await first.store.cast("vote1", "m2", "B", later(2)))?.outcome).toBe("recorded");
    expect((await first.store.cast("vote1", "m2", "A", later(3)))?.outcome).toBe("changed");
    first.database.close();

    const second = openStore();
    const vote = second.store.get("vote1");
    expect(vote?.ballots.map((b) => [b.memberId, b.choice])).toEqual([
      ["m1", "A"],
      ["m2", "A"],
    ]);
    expect(second.store.unrevealed().map((v) => v.id)).toEqual(["vote1"]);
  });

  it("GIVEN a reveal retried after a restart THEN right voters are paid exactly once", async () => {
    const first = openStore();
    await newVote(first.store);
    await first.store.cast("vote1", "right", "A", later(1));
    await first.store.cast("vote1", "wrong", "B", later(2));
    const revealed = await first.store.reveal("vote1", { memberId: "author" }, later(5));
    expect(revealed?.outcome).toBe("revealed");
    expect(revealed?.results?.rightVoters).toEqual(["right"]);
    first.database.close();

    const second = openStore();
    expect((await second.store.reveal("vote1", "timer", later(60)))?.outcome).toBe("already-revealed");
    const points = second.database.db.select().from(scoreEvents).all();
    expect(points.map((p) => [p.userId, p.points, p.kind])).toEqual([["right", 2, "blind_vote"]]);
    expect((await second.store.cast("vote1", "late", "A", later(6)))?.outcome).toBe("closed");
    expect(second.store.unrevealed()).toEqual([]);
  });

  it("GIVEN someone other than the author presses Reveal THEN the vote stays open", async () => {
    const { store } = openStore();
    await newVote(store);
    expect((await store.reveal("vote1", { memberId: "intruder" }, later(5)))?.outcome).toBe("not-author");
    expect((await store.cast("vote1", "m1", "B", later(6)))?.outcome).toBe("recorded");
  });

  it("GIVEN an unknown vote id THEN reports nothing instead of throwing", async () => {
    const { store } = openStore();
    expect(await store.cast("missing", "m1", "A", start)).toBeUndefined();
    expect(await store.reveal("missing", "timer", start)).toBeUndefined();
  });
});
