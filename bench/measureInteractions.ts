import { InteractionResponseType } from "discord.js";
import type {
  DiscordDouble,
  DoubleUser,
  InteractionHandle,
  StoredMessage,
} from "../test/discord/DiscordDouble.ts";
import { answerKey } from "../test/support/answerKey.ts";
import type { TestBot } from "../test/support/startTestBot.ts";

export interface InteractionRow {
  scenario: string;
  /** One after another (each waits for the previous reply), or all dispatched at once. */
  mode: "sequential" | "parallel";
  count: number;
  seconds: number;
  /** Milliseconds from dispatch to the bot's acknowledgement, one per interaction. */
  ackMs: number[];
  /** Acknowledged with a defer ("is thinking…") rather than the answer itself. */
  deferred: number;
  /** Never got a reply the member could read ("The application did not respond"). */
  failed: number;
  /**
   * REST requests other than interaction callbacks (edits, follow-ups, fetches): @discordjs/rest
   * holds these to 50 per second for the whole bot, while callbacks are exempt.
   */
  webhookRequests: number;
}

const deferrals = new Set<InteractionResponseType | undefined>([
  InteractionResponseType.DeferredChannelMessageWithSource,
  InteractionResponseType.DeferredMessageUpdate,
]);

/**
 * Interactions per second through the whole stack: the double dispatches over its gateway, the
 * real discord.js client receives, the dispatcher runs the command against the real SQLite file,
 * and the reply goes back over REST. `count` per row; twenty members take turns.
 */
export async function measureInteractions(
  double: DiscordDouble,
  bot: TestBot,
  count: number,
): Promise<InteractionRow[]> {
  const members: DoubleUser[] = Array.from({ length: 20 }, (_, index) => double.user(`member${index}`));
  const memberAt = (index: number): DoubleUser => members[index % members.length] as DoubleUser;
  const content = bot.app.services.content;

  /**
   * Fires `fire(i)` `count` times, one after another or all at once, and waits for every reply
   * (or for the double to give up on it: an interaction not acknowledged in 3 s never gets one).
   */
  const measure = async (
    scenario: string,
    mode: InteractionRow["mode"],
    fire: (index: number) => InteractionHandle,
  ): Promise<InteractionRow> => {
    const handles: InteractionHandle[] = [];
    let failed = 0;
    const replied = (handle: InteractionHandle) =>
      handle.waitForReply().then(
        () => undefined,
        () => void failed++,
      );
    const firstRequest = double.requests.length;
    const started = performance.now();
    if (mode === "sequential") {
      for (let index = 0; index < count; index++) {
        const handle = fire(index);
        handles.push(handle);
        await replied(handle);
      }
    } else {
      for (let index = 0; index < count; index++) handles.push(fire(index));
      await Promise.all(handles.map(replied));
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      scenario,
      mode,
      count,
      seconds,
      ackMs: handles.map((handle) => handle.acknowledgement?.latencyMs ?? Number.NaN),
      deferred: handles.filter((handle) => deferrals.has(handle.acknowledgement?.type)).length,
      failed,
      webhookRequests: double.requests
        .slice(firstRequest)
        .filter((request) => !request.path.endsWith("/callback")).length,
    };
  };

  /** One open quiz per interaction, so every answer click is a real write. */
  const openQuizzes = (): Promise<StoredMessage[]> => {
    const handles = Array.from({ length: count }, (_, index) =>
      double.slash(memberAt(index), "quiz", { lesson: "base-models", questions: 1 }),
    );
    return Promise.all(handles.map((handle) => handle.waitForReply()));
  };

  // Warm up discord.js, SQLite's caches and the chart renderer.
  for (let index = 0; index < 20; index++) await double.slash(memberAt(index), "progress").waitForReply();

  const rows: InteractionRow[] = [];
  for (const mode of ["sequential", "parallel"] as const) {
    rows.push(await measure("/lesson (list)", mode, (index) => double.slash(memberAt(index), "lesson")));
    rows.push(
      await measure("/lesson name:…", mode, (index) =>
        double.slash(memberAt(index), "lesson", { name: "base-models" }),
      ),
    );
    rows.push(
      await measure("/progress (PNG card)", mode, (index) => double.slash(memberAt(index), "progress")),
    );
    rows.push(await measure("/leaderboard", mode, (index) => double.slash(memberAt(index), "leaderboard")));
    const quizzes = await openQuizzes();
    rows.push(
      await measure("quiz answer click", mode, (index) => {
        const message = quizzes[index] as StoredMessage;
        return double.click(memberAt(index), message, answerKey(message, content).right);
      }),
    );
  }
  return rows;
}
