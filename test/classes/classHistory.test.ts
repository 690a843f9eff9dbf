import { afterEach, describe, expect, it } from "vitest";
import type { ClassQuestion, ClassService } from "../../src/classes/ClassService.ts";
import { UserError } from "../../src/errors.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { channelId, createClassService, guildId, inChannel, type TestClock } from "./classFixture.ts";

function rightPosition(question: ClassQuestion): number {
  return question.order.findIndex((index) => question.question.choices[index]?.correct === true);
}

/** A class of `lesson` in `channel` where ada answers right and bob wrong, then the host ends it. */
async function runClass(service: ClassService, clock: TestClock, lesson: string, channel = channelId) {
  const host = inChannel("host", { channelId: channel });
  const stage = await service.start(host, { lesson, questionSeconds: 20 });
  const classId = stage.record.id;
  const question = await service.openQuestion(classId, host);
  const right = rightPosition(question);
  clock.advance(2_000);
  await service.answer(
    { classId, round: 1, position: right },
    inChannel("ada", { channelId: channel }),
    clock.now(),
  );
  await service.answer(
    { classId, round: 1, position: (right + 1) % question.order.length },
    inChannel("bob", { channelId: channel }),
    clock.now(),
  );
  await service.reveal(classId, 1, host);
  clock.advance(60_000);
  await service.end(classId, host);
  return { classId, prompt: question.question.prompt };
}

describe("class history", () => {
  let temporary: TemporaryDatabase;
  afterEach(() => temporary?.remove());

  it("GIVEN ended classes of two lessons, a running one and one in another server THEN history lists this server's ended ones newest first with their figures", async () => {
    temporary = createTemporaryDatabase();
    const { service, clock } = createClassService(temporary.open());
    const first = await runClass(service, clock, "tokens");
    clock.advance(3_600_000);
    const second = await runClass(service, clock, "base-models");
    clock.advance(60_000);
    const elsewhere = { ...inChannel("host", { channelId: "other-channel" }), guildId: "other-guild" };
    const foreign = await service.start(elsewhere, { lesson: "tokens" });
    await service.end(foreign.record.id, elsewhere);
    await service.start(inChannel("host"), { lesson: "tokens" });

    const history = service.history(guildId);
    expect(history.lessonTitle).toBeUndefined();
    expect(history.classes.map((summary) => summary.classId)).toEqual([second.classId, first.classId]);
    const newest = history.classes[0];
    expect(newest).toMatchObject({
      lessonTitle: "Base models",
      hostName: "Member host",
      participants: 2,
      questions: 1,
      accuracy: 0.5,
      endReason: "host",
      hardest: { prompt: second.prompt, accuracy: 0.5 },
    });
    expect(newest?.standings.map((standing) => standing.userId)).toEqual(["ada", "bob"]);

    const tokensOnly = service.history(guildId, { lesson: "tokens" });
    expect(tokensOnly.lessonTitle).toBe("Tokens");
    expect(tokensOnly.classes.map((summary) => summary.classId)).toEqual([first.classId]);
    expect(() => service.history(guildId, { lesson: "no-such-lesson" })).toThrow(UserError);
  });

  it("GIVEN twelve ended classes THEN history lists the ten newest, newest first", async () => {
    temporary = createTemporaryDatabase();
    const { service, clock } = createClassService(temporary.open());
    const ids: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      const stage = await service.start(inChannel("host"), { lesson: "tokens" });
      await service.end(stage.record.id, inChannel("host"));
      ids.push(stage.record.id);
      clock.advance(60_000);
    }
    const listed = service.history(guildId).classes;
    expect(listed.map((summary) => summary.classId)).toEqual(ids.slice(2).reverse());
    expect(listed[0]).toMatchObject({ participants: 0, questions: 0, accuracy: null, hardest: null });
  });

  it("GIVEN an unknown id, another server's class or a running class THEN re-opening it is refused politely", async () => {
    temporary = createTemporaryDatabase();
    const { service, clock } = createClassService(temporary.open());
    const ended = await runClass(service, clock, "tokens");
    expect(service.pastClass(ended.classId, guildId).participants).toBe(2);
    expect(() => service.pastClass("no-such-class", guildId)).toThrow(/no longer on record/);
    expect(() => service.pastClass(ended.classId, "other-guild")).toThrow(/no longer on record/);
    const running = await service.start(inChannel("host"), { lesson: "tokens" });
    expect(() => service.pastClass(running.record.id, guildId)).toThrow(/still running/);
  });
});
