import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { channelId, createClassService, inChannel } from "./classFixture.ts";

const crashingChild = fileURLToPath(new URL("./answerThenCrash.ts", import.meta.url));

async function openClassWithQuestion(temporary: TemporaryDatabase) {
  const { service } = createClassService(temporary.open());
  const stage = await service.start(inChannel("host"), { lesson: "tokens", questionSeconds: 20 });
  const question = await service.openQuestion(stage.record.id, inChannel("host"));
  await service.attachQuestion(stage.record.id, 1, { channelId, messageId: "question-1" });
  return { service, classId: stage.record.id, question };
}

describe("class answers in the database", () => {
  let temporary: TemporaryDatabase;
  afterEach(() => temporary?.remove());

  it("GIVEN two connections answering for the same members at once THEN each member has one answer, and both sides agree which", async () => {
    temporary = createTemporaryDatabase();
    const { classId } = await openClassWithQuestion(temporary);
    // Two bot processes' worth of state: separate connections, separate memories, one file.
    const left = createClassService(temporary.open({ busyTimeoutMs: 0 }));
    const right = createClassService(temporary.open({ busyTimeoutMs: 0 }));
    const members = Array.from({ length: 40 }, (_, index) => `member${index}`);
    const outcomes = await Promise.all(
      members.flatMap((userId) => [
        left.service.answer({ classId, round: 1, position: 0 }, inChannel(userId), left.clock.now()),
        right.service.answer({ classId, round: 1, position: 1 }, inChannel(userId), right.clock.now()),
      ]),
    );
    const rows = temporary
      .open()
      .sqlite.prepare("select user_id as userId, position from class_answers where class_id = ?")
      .all(classId) as { userId: string; position: number }[];
    expect(rows).toHaveLength(members.length);
    for (const [index, userId] of members.entries()) {
      const [fromLeft, fromRight] = [outcomes[2 * index], outcomes[2 * index + 1]];
      const stored = rows.find((row) => row.userId === userId)?.position;
      expect([fromLeft?.kind, fromRight?.kind].sort()).toEqual(["locked", "repeat"]);
      expect(fromLeft).toMatchObject({ position: stored });
      expect(fromRight).toMatchObject({ position: stored });
    }
  });

  it("GIVEN a second answer written straight to the table THEN the database itself refuses it", async () => {
    temporary = createTemporaryDatabase();
    const { service, classId, question } = await openClassWithQuestion(temporary);
    await service.answer(
      { classId, round: 1, position: 0 },
      inChannel("ada"),
      new Date(question.closesAt.getTime() - 1),
    );
    const other = temporary.open().sqlite;
    expect(() =>
      other
        .prepare(
          "insert into class_answers (class_id, round_number, guild_id, user_id, user_name, position, chosen_choice, correct, points, elapsed_ms, answered_at) select class_id, round_number, guild_id, user_id, user_name, 1, 1, 0, 0, 0, answered_at from class_answers",
        )
        .run(),
    ).toThrow(
      /UNIQUE constraint failed: class_answers.class_id, class_answers.round_number, class_answers.user_id/,
    );
  });

  it("GIVEN the process is killed with SIGKILL mid-burst THEN every answer it confirmed is stored, once", async () => {
    temporary = createTemporaryDatabase();
    const { classId } = await openClassWithQuestion(temporary);
    const members = 400;
    const child = spawnSync(
      process.execPath,
      ["--import", "tsx", crashingChild, temporary.path, classId, String(members), "60"],
      { encoding: "utf8", timeout: 30_000, killSignal: "SIGKILL" },
    );
    expect(child.signal).toBe("SIGKILL");
    const confirmed = child.stdout
      .trim()
      .split("\n")
      .filter((line) => line.startsWith("confirmed "))
      .map((line) => line.slice("confirmed ".length));
    expect(confirmed.length).toBeGreaterThanOrEqual(60);
    const stored = new Set(
      (
        temporary
          .open()
          .sqlite.prepare("select user_id as userId from class_answers where class_id = ?")
          .all(classId) as { userId: string }[]
      ).map((row) => row.userId),
    );
    for (const userId of confirmed) expect(stored.has(userId)).toBe(true);
    // The crash came with answers still queued: they were lost, and nobody was told otherwise.
    expect(stored.size).toBeLessThan(members);
    expect(stored.size).toBeGreaterThanOrEqual(confirmed.length);
  });
});
