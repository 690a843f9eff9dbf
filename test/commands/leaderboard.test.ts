import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { command as leaderboard } from "../../commands/leaderboard.ts";
import type { OpenedDatabase } from "../../src/db/openDatabase.ts";
import { writeTransactionOnce } from "../../src/db/writeTransactionOnce.ts";
import { discordPart } from "../../src/discord/discordMarkup.ts";
import { awardPoints } from "../../src/progress/awardPoints.ts";
import { renderRichText } from "../../src/ui/richText.ts";
import type { RichText } from "../../src/ui/view.ts";

/** The text as Discord receives it: members as mentions. */
const inDiscord = (text: RichText | undefined) => renderRichText(text ?? "", discordPart);

import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import { alice, commandInvocation, guildId } from "./recordingReply.ts";
import { createLearningServices, type LearningServices } from "./testServices.ts";

const now = new Date("2025-03-10T12:00:00Z");
const day = 24 * 60 * 60 * 1000;

let temporary: TemporaryDatabase;
let connection: OpenedDatabase;
let services: LearningServices;

beforeEach(() => {
  temporary = createTemporaryDatabase();
  connection = temporary.open();
  services = createLearningServices(connection, sampleContent(), () => now);
});
afterEach(() => temporary.remove());

function award(userId: string, points: number, daysAgo = 0): void {
  const at = new Date(now.getTime() - daysAgo * day);
  writeTransactionOnce(connection.db, (tx) =>
    awardPoints(
      tx,
      { guildId, userId },
      { points, kind: "quiz_correct", sourceKey: `${userId}:${points}:${daysAgo}`, at },
    ),
  );
}

async function show(period?: string) {
  const invocation = commandInvocation("leaderboard", period ? { period } : {});
  await leaderboard.execute(services, invocation);
  return invocation.reply.only("send");
}

describe("/leaderboard", () => {
  it("GIVEN no points THEN it invites members to take a quiz", async () => {
    expect(inDiscord((await show()).embeds?.[0]?.description)).toBe(
      "No points yet — answer /quiz questions to get on the board.",
    );
  });

  it("GIVEN points this week THEN it is public, ranks members as mentions and explains the rolling week", async () => {
    award("200000000000000001", 5);
    award(alice.id, 3, 2);
    award("200000000000000003", 40, 9);
    const view = await show();

    expect(view.ephemeral).toBeUndefined();
    const embed = view.embeds?.[0];
    expect({ ...embed, description: inDiscord(embed?.description) }).toEqual({
      title: "Leaderboard · last 7 days",
      description: `**1.** <@200000000000000001> — 5 points\n**2.** <@${alice.id}> — 3 points (you)`,
      footer:
        "Rolling 7 days, not the calendar week · 1 point per correct quiz answer, 2 per right blind-vote guess, 1–2 per right class answer",
      color: "brand",
    });
  });

  it("GIVEN all time and a caller ranked 11th THEN the caller gets their own line under the top 10", async () => {
    for (let index = 1; index <= 10; index++) award(`3000000000000000${10 + index}`, 100 + index);
    award(alice.id, 1, 30);
    const lines = inDiscord((await show("all")).embeds?.[0]?.description).split("\n");
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe("**1.** <@300000000000000020> — 110 points");
    expect(lines.slice(-2)).toEqual(["…", `**11.** <@${alice.id}> — 1 point (you)`]);
  });
});
