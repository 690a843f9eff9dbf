import { afterEach, describe, expect, it } from "vitest";
import { type ClassRecord, ClassStore } from "../../src/classes/ClassStore.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";

const startedAt = new Date("2026-03-02T18:00:00Z");

function classRecord(id: string, changes: Partial<ClassRecord> = {}): ClassRecord {
  return {
    id,
    guildId: "guild",
    channelId: `channel-${id}`,
    lessonId: "tokens",
    hostId: "host",
    hostName: "Host",
    stageMessageId: null,
    questionSeconds: 20,
    questionCount: 1,
    questionsRequested: 1,
    snippetIndex: 0,
    nextDemo: 0,
    status: "ended",
    endReason: "host",
    startedAt,
    lastActivityAt: startedAt,
    endedAt: startedAt,
    ...changes,
  };
}

describe("ClassStore.recentEnded", () => {
  let temporary: TemporaryDatabase;
  afterEach(() => temporary?.remove());

  it("GIVEN classes started in the same millisecond THEN the later stored comes first, whatever their ids", async () => {
    temporary = createTemporaryDatabase();
    const store = new ClassStore(temporary.open().db);
    for (const id of ["b", "c", "a"]) await store.insertUnlessRunning(classRecord(id));
    expect(store.recentEnded("guild", { limit: 10 }).map((record) => record.id)).toEqual(["a", "c", "b"]);
  });

  it("GIVEN running classes, other servers and other lessons THEN only this server's ended ones of the lesson are listed, up to the limit", async () => {
    temporary = createTemporaryDatabase();
    const store = new ClassStore(temporary.open().db);
    const later = (minutes: number) => new Date(startedAt.getTime() + minutes * 60_000);
    await store.insertUnlessRunning(classRecord("old", { startedAt: later(0) }));
    await store.insertUnlessRunning(classRecord("new", { startedAt: later(10) }));
    await store.insertUnlessRunning(classRecord("newest", { startedAt: later(20) }));
    await store.insertUnlessRunning(classRecord("running", { startedAt: later(30), status: "running" }));
    await store.insertUnlessRunning(classRecord("foreign", { startedAt: later(40), guildId: "other" }));
    await store.insertUnlessRunning(
      classRecord("sampling", { startedAt: later(50), lessonId: "temperature" }),
    );

    expect(store.recentEnded("guild", { limit: 10 }).map((record) => record.id)).toEqual([
      "sampling",
      "newest",
      "new",
      "old",
    ]);
    expect(store.recentEnded("guild", { limit: 2, lessonId: "tokens" }).map((record) => record.id)).toEqual([
      "newest",
      "new",
    ]);
    expect(store.recentEnded("nowhere", { limit: 10 })).toEqual([]);
  });
});
