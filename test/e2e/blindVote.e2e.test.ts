import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble, type DoubleUser, type StoredMessage } from "../discord/DiscordDouble.ts";
import {
  enabledButtonLabels,
  isFinishedCompare,
  runIdOf,
  sidesOf,
  statsOf,
} from "../support/compareMessages.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";
import { type TinyCompareModels, writeTinyCompareModels } from "../support/tinyCompareModels.ts";

type Letter = "A" | "B";

/*
 * Blind votes on `/compare blind:true`, end to end on the tiny self-built models: the replies are
 * posted as Reply A / Reply B, members guess which one the base model wrote, and the reveal (by the
 * author or by the timer, also after a restart) says who was right and awards points.
 */
describe("/compare blind:true through the Discord double", () => {
  const folder = temporaryFolder();
  const databasePath = path.join(folder.dir, "bot.sqlite");
  let double: DiscordDouble;
  let models: TinyCompareModels;
  let bot: TestBot;
  /** The app's clock runs this far ahead of real time; Discord's side keeps real time. */
  let clockAheadMs = 0;
  const now = () => new Date(Date.now() + clockAheadMs);

  async function startBot(): Promise<TestBot> {
    const started = await startTestBot(double, {
      databasePath,
      now,
      env: { ...models.env, COMPARE_COOLDOWN_SECONDS: "0" },
    });
    await started.app.pairs.whenSettled();
    return started;
  }

  beforeAll(async () => {
    double = await DiscordDouble.start();
    models = await writeTinyCompareModels();
    bot = await startBot();
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    await models?.remove();
    folder.remove();
  });

  const hasVoteButtons = (message: StoredMessage) =>
    message.customIds.some((id) => id.startsWith("vote:pick:"));

  /** Runs a blind comparison and resolves once its vote is open. */
  async function openVote(
    author: DoubleUser,
    seconds: number,
  ): Promise<{ message: StoredMessage; runId: string }> {
    const message = await double
      .slash(author, "compare", { prompt: "Once upon a time", blind: true, seconds, max_tokens: 20 })
      .waitForReply(hasVoteButtons, 15_000);
    return { message, runId: runIdOf(message) };
  }

  /** Which letter the base model's reply was posted under, as only the database knows before the reveal. */
  function baseLetterOf(runId: string): Letter {
    const row = bot.app.database.sqlite
      .prepare("select base_letter from blind_votes where id = ?")
      .get(runId) as { base_letter: Letter } | undefined;
    if (!row) throw new Error(`no blind vote ${runId}`);
    return row.base_letter;
  }

  const other = (letter: Letter): Letter => (letter === "A" ? "B" : "A");

  /** `member` presses "<letter> is the base model"; resolves with the note only they see. */
  async function vote(member: DoubleUser, message: StoredMessage, runId: string, letter: Letter) {
    const click = double.click(member, message, `vote:pick:${runId}:${letter}`);
    const note = await click.waitForReply((reply) => reply.ephemeral);
    expect(note.visibleTo).toBe(member.id);
    return note.text;
  }

  function ballots(runId: string): Record<string, Letter> {
    const rows = bot.app.database.sqlite
      .prepare("select member_id, choice from blind_vote_ballots where vote_id = ?")
      .all(runId) as { member_id: string; choice: Letter }[];
    return Object.fromEntries(rows.map((row) => [row.member_id, row.choice]));
  }

  function pointsFor(runId: string): Record<string, number> {
    const rows = bot.app.database.sqlite
      .prepare("select user_id, points from score_events where source_key like ?")
      .all(`vote:${runId}:%`) as { user_id: string; points: number }[];
    return Object.fromEntries(rows.map((row) => [row.user_id, row.points]));
  }

  it("GIVEN /compare blind:true THEN the replies are Reply A and Reply B with model names and stats hidden, and voting opens once both are done", async () => {
    const alice = double.user("alice");

    const { message } = await openVote(alice, 600);

    for (const revision of message.revisions) {
      const shown = JSON.stringify(revision.message.embeds);
      expect(shown).not.toMatch(/tiny-plain|tiny-chatml|Base ·|Instruct ·|tok\/s|ended:/);
      expect(sidesOf(revision.message).map((side) => side.name)).toEqual(["Reply A", "Reply B"]);
    }
    for (const revision of message.revisions.slice(0, -1)) {
      expect(revision.message.embeds[0]?.description).toContain("Voting opens when both replies are done.");
      expect(JSON.stringify(revision.message.components)).not.toContain("vote:pick:");
    }
    expect(message.text).toContain(
      "**Blind vote:** which reply comes from the base model? 0 vote(s) so far.",
    );
    expect(isFinishedCompare(message)).toBe(true);
    expect(sidesOf(message).map((side) => side.footer)).toEqual(["done", "done"]);
    expect(
      sidesOf(message)
        .map((side) => side.reply)
        .sort(),
    ).toEqual(["Hi!", "la".repeat(10)]);
    double.assertNoErrors();
  });

  it("GIVEN members voting THEN each has one ballot, a changed vote overwrites it, Show prompts is disabled and a non-author's Reveal is refused, and the author's Reveal says who was right and awards points", async () => {
    const alice = double.user("alice");
    const bob = double.user("bob");
    const carol = double.user("carol");
    const { message, runId } = await openVote(alice, 600);
    const right = baseLetterOf(runId);
    const wrong = other(right);

    expect(await vote(bob, message, runId, wrong)).toBe(
      `Your vote is in: you think Reply ${wrong} came from the base model.`,
    );
    expect(await vote(carol, message, runId, wrong)).toContain(`Reply ${wrong}`);
    expect(await vote(bob, message, runId, right)).toBe(
      `Vote changed: you now think Reply ${right} came from the base model.`,
    );
    expect(await vote(bob, message, runId, right)).toBe(`You already voted for Reply ${right}.`);
    expect(message.text).toContain("2 vote(s) so far");
    expect(ballots(runId)).toEqual({ [bob.id]: right, [carol.id]: wrong });

    // The prompts would give the answer away, so Show prompts stays disabled until the reveal.
    expect(enabledButtonLabels(message)).not.toContain("Show prompts");
    const early = await double.click(bob, message, `vote:reveal:${runId}`).waitForReply();
    expect(early.ephemeral).toBe(true);
    expect(early.text).toBe("⚠️ Only the member who started this comparison can reveal it early.");
    expect(hasVoteButtons(message)).toBe(true);

    const revealed = await double.click(alice, message, `vote:reveal:${runId}`).waitForReply();

    expect(revealed.id).toBe(message.id);
    expect(revealed.text).toContain(`**Revealed:** Reply ${right} came from the **base** model.`);
    expect(revealed.text).toContain(`Votes: A 1 · B 1. Right: <@${bob.id}> (+2 points each).`);
    expect(sidesOf(revealed).map((side) => side.name)).toEqual(
      right === "A"
        ? ["Reply A — Base · tiny-plain", "Reply B — Instruct · tiny-chatml"]
        : ["Reply A — Instruct · tiny-chatml", "Reply B — Base · tiny-plain"],
    );
    for (const side of sidesOf(revealed)) expect(statsOf(side).tokens).toBeGreaterThan(0);
    expect(hasVoteButtons(revealed)).toBe(false);
    expect(revealed.allowedMentions).toEqual({ parse: [], replied_user: false });
    expect(pointsFor(runId)).toEqual({ [bob.id]: 2 });

    const prompts = await double.click(carol, revealed, `compare:prompts:${runId}`).waitForReply();
    expect(prompts.text).toContain("<|im_start|>assistant↵");
    const board = await double.slash(bob, "leaderboard").waitForReply();
    expect(board.text).toContain(`<@${bob.id}> — 2 points (you)`);
    expect(board.text).not.toContain(`<@${carol.id}>`);
    double.assertNoErrors();
  });

  it("GIVEN a vote whose time is up before its reveal was posted WHEN a member votes THEN they are told it has closed, and the reveal is shown", async () => {
    const dave = double.user("dave");
    const erin = double.user("erin");
    const { message, runId } = await openVote(dave, 10);

    // The app's clock passes the closing time; the real 10-second timer has not fired yet.
    clockAheadMs += 11_000;
    const note = await vote(erin, message, runId, baseLetterOf(runId));

    expect(note).toBe("This vote has closed.");
    expect(message.text).toContain("**Revealed:**");
    expect(message.text).toContain("Votes: A 0 · B 0. Right: nobody this time.");
    expect(hasVoteButtons(message)).toBe(false);
    expect(ballots(runId)).toEqual({});
    expect(pointsFor(runId)).toEqual({});
    double.assertNoErrors();
  });

  it("GIVEN a restart mid-vote THEN ballots are kept, a member who votes again is counted once, and the timer's reveal edits the message through the channel and awards points once", async () => {
    const frank = double.user("frank");
    const gina = double.user("gina");
    const hank = double.user("hank");
    const { message, runId } = await openVote(frank, 10);
    const right = baseLetterOf(runId);
    await vote(gina, message, runId, right);
    await vote(hank, message, runId, other(right));

    await bot.stop();
    bot = await startBot();

    expect(ballots(runId)).toEqual({ [gina.id]: right, [hank.id]: other(right) });
    expect(await vote(gina, message, runId, right)).toBe(`You already voted for Reply ${right}.`);
    expect(await vote(hank, message, runId, right)).toBe(
      `Vote changed: you now think Reply ${right} came from the base model.`,
    );
    expect(message.text).toContain("2 vote(s) so far");
    const channelEditsBefore = double.requestCount("PATCH /channels/:channel/messages/:message");

    const revealed = await double.waitFor(
      (candidate) => candidate.id === message.id && candidate.text.includes("**Revealed:**"),
      15_000,
    );

    expect(double.requestCount("PATCH /channels/:channel/messages/:message")).toBe(channelEditsBefore + 1);
    const channelEdit = double.requests.findLast(
      (request) => request.route === "PATCH /channels/:channel/messages/:message",
    );
    expect(channelEdit?.path).toBe(`/channels/${double.channel}/messages/${message.id}`);
    expect(revealed.revisions.at(-1)?.allowedMentions).toEqual({ parse: [] });
    expect(revealed.text).toContain(`Votes: A ${right === "A" ? 2 : 0} · B ${right === "B" ? 2 : 0}.`);
    expect(revealed.text).toContain(`Right: <@${gina.id}>, <@${hank.id}> (+2 points each).`);
    expect(pointsFor(runId)).toEqual({ [gina.id]: 2, [hank.id]: 2 });
    const board = await double.slash(gina, "leaderboard").waitForReply();
    expect(board.text).toContain(`<@${gina.id}> — 2 points (you)`);
    double.assertNoErrors();
  });
});
