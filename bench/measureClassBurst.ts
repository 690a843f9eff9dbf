import { InteractionResponseType, PermissionFlagsBits } from "discord.js";
import type { DiscordDouble, InteractionHandle, StoredMessage } from "../test/discord/DiscordDouble.ts";
import { answerKey, buttonLabelled, buttonsOf } from "../test/support/answerKey.ts";
import type { TestBot } from "../test/support/startTestBot.ts";

export interface ClassBurstResult {
  /** Members who clicked an answer, each once. */
  members: number;
  /** Over how long the clicks were dispatched, evenly. */
  spreadMs: number;
  /** Milliseconds from dispatch to the bot's acknowledgement, one per click. */
  ackMs: number[];
  /** Acknowledged with a defer instead of the answer itself (the slow fallback). */
  deferred: number;
  /** Never acknowledged ("The application did not respond"). */
  failed: number;
  /** Members told "Locked in". */
  lockedIn: number;
  /** Answers in the database for the round once every click was answered. */
  stored: number;
  /** Stored answers per distinct member (1 means none was counted twice). */
  storedMembers: number;
  /** Edits of the question message during the burst (the answered count, at most one per 2 s). */
  questionEdits: number;
  /**
   * The host's Reveal click → the revealed question (its transaction pays points and updates
   * every answerer's review card).
   */
  revealMs: number;
}

/**
 * A class question answered by `members` members within `spreadMs`: the host starts a class and
 * opens a question through the double, then every member clicks once, dispatched evenly over the
 * spread; every click's acknowledgement time comes from the double. Afterwards the stored
 * answers are counted in the bot's database, to compare with the members told "Locked in".
 */
export async function measureClassBurst(
  double: DiscordDouble,
  bot: TestBot,
  options: {
    members: number;
    spreadMs: number /** Names members `<prefix><n>`; default `student`. */;
    memberPrefix?: string;
  },
): Promise<ClassBurstResult> {
  const host = double.user("bench-host");
  double.grant(host, PermissionFlagsBits.ManageMessages);
  const stage = await double
    .slash(host, "class", { lesson: "base-models", question_seconds: 120 }, { subcommand: "start" })
    .waitForReply();
  const question = await double
    .click(host, stage, buttonLabelled(stage, "Question"))
    .waitForReply((message: StoredMessage) => buttonsOf(message).length > 1);
  const key = answerKey(question, bot.app.services.content);
  const members = Array.from({ length: options.members }, (_, index) =>
    double.user(`${options.memberPrefix ?? "student"}${index}`),
  );
  const editsBefore = question.edits.length;

  const handles: InteractionHandle[] = [];
  const started = performance.now();
  for (const [index, member] of members.entries()) {
    const due = (index * options.spreadMs) / options.members;
    const wait = started + due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    handles.push(double.click(member, question, index % 3 === 0 ? key.wrong : key.right));
  }
  let failed = 0;
  let lockedIn = 0;
  await Promise.all(
    handles.map((handle) =>
      handle
        .waitForReply((reply) => !reply.loading)
        .then(
          (reply) => {
            if (reply.text.startsWith("🔒 Locked in")) lockedIn += 1;
          },
          () => {
            failed += 1;
          },
        ),
    ),
  );
  const questionEdits = question.edits.length - editsBefore;
  const counts = bot.app.database.sqlite
    .prepare(
      "select count(*) as stored, count(distinct user_id) as members from class_answers where class_id = (select id from classes where status = 'running' and channel_id = ?)",
    )
    .get(double.channel) as { stored: number; members: number };
  const reveal = double.click(host, question, buttonLabelled(question, /^Reveal/));
  await reveal.waitForReply(
    (message) => message.embeds[0]?.fields?.some((field) => field.name === "Right") === true,
  );
  await double.slash(host, "class", {}, { subcommand: "end" }).waitForReply();
  return {
    members: options.members,
    spreadMs: options.spreadMs,
    ackMs: handles.map((handle) => handle.acknowledgement?.latencyMs ?? Number.NaN),
    deferred: handles.filter(
      (handle) => handle.acknowledgement?.type === InteractionResponseType.DeferredChannelMessageWithSource,
    ).length,
    failed,
    lockedIn,
    stored: counts.stored,
    storedMembers: counts.members,
    questionEdits,
    revealMs: reveal.acknowledgement?.latencyMs ?? Number.NaN,
  };
}

/** Nearest-rank percentile (0–100) of the finite values; NaN when there are none. */
export function percentile(values: readonly number[], rank: number): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1)] ?? Number.NaN;
}
