import type { APIMessage } from "discord-api-types/v10";
import { eq } from "drizzle-orm";
import { compareRuns } from "../src/db/schema.ts";
import type { GenerationStats } from "../src/llm/generate.ts";
import type { DiscordDouble, StoredMessage } from "../test/discord/DiscordDouble.ts";
import { walkComponents } from "../test/discord/validateMessage.ts";
import type { TestBot } from "../test/support/startTestBot.ts";

export interface MeasureCompareOptions {
  /** Measured runs wanted (after one warm-up run); fewer (at least 3) once `budgetMs` is spent. */
  runs: number;
  maxTokens: number;
  prompt: string;
  budgetMs: number;
}

/** One side's figures as the bot recorded them (two sides generate at once). */
export interface CompareSideSample {
  key: string;
  tokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number | null;
  stopReason: string;
}

/** One `/compare`, timed with the double's clock: every `…Ms` counts from the slash command's dispatch. */
export interface CompareRunSample {
  /** The bot's first answer (the message in its "waiting…"/"generating…" state). */
  firstReplyMs: number;
  /** The first revision of the reply whose columns hold generated text. */
  firstTextMs: number | null;
  /** The final revision (Stop disabled, stats shown). */
  finalMs: number;
  /** Revisions after the first one. */
  edits: number;
  /** `(edits − 1)` over the time from the first to the last edit; `null` with fewer than two edits. */
  editsPerSecond: number | null;
  /** Shortest time between two consecutive edits (the throttle keeps it ≥ 1000 ms). */
  minEditGapMs: number | null;
  /** From the first answer to the first edit: the throttle lets the first edit go at once. */
  firstEditAfterReplyMs: number | null;
  /** REST requests the double received between the slash command and the final revision. */
  requests: number;
  sides: CompareSideSample[];
}

export interface CompareResults {
  samples: CompareRunSample[];
  /** Author presses Stop while both sides stream: click → the revision that says "stopped by the user", ms. */
  stopLatencyMs: number[];
  /** Runs that did not end in a finished comparison, with what the member saw. */
  failures: string[];
}

const STOP_PREFIX = "compare:stop:";

function stopButton(message: APIMessage): Record<string, unknown> | undefined {
  return [...walkComponents(message.components ?? [])]
    .map(({ component }) => component)
    .find(
      (component) => typeof component.custom_id === "string" && component.custom_id.startsWith(STOP_PREFIX),
    );
}

/** Finished: the Stop button is disabled; or not a comparison at all (a refusal the member reads). */
export function isSettled(message: StoredMessage): boolean {
  const stop = stopButton(message.current);
  return stop === undefined || stop.disabled === true;
}

/**
 * Whether some column of this revision shows generated text. A column is a code block holding
 * the text so far and a `▌` cursor while running; before the first token it holds only the cursor
 * or a blank, and its footer says `waiting…` / `generating…`.
 */
function showsGeneratedText(message: APIMessage): boolean {
  return (message.embeds ?? []).some((embed) =>
    (embed.fields ?? []).some((field) => {
      const block = /^```\n([\s\S]*?)\n```/.exec(field.value)?.[1] ?? "";
      return block.replace(/▌$/, "").trim() !== "";
    }),
  );
}

function isStoredSide(value: unknown): value is { key: string; stats?: GenerationStats } {
  return typeof value === "object" && value !== null && typeof (value as { key?: unknown }).key === "string";
}

/**
 * Runs `/compare` one after another as one member (the bot must run with a cooldown of 0) and
 * times what the member sees from the double's own timestamps: when each revision of the reply
 * arrived, against when the slash command was dispatched.
 */
export async function measureCompareStreaming(
  double: DiscordDouble,
  bot: TestBot,
  options: MeasureCompareOptions,
): Promise<CompareResults> {
  const member = double.user("bench-compare");
  const samples: CompareRunSample[] = [];
  const failures: string[] = [];

  const runOnce = async (): Promise<CompareRunSample | string> => {
    const handle = double.slash(member, "compare", {
      prompt: options.prompt,
      max_tokens: options.maxTokens,
      temperature: 0,
    });
    const message = await handle.waitForReply(isSettled, 180_000);
    const runId = stopButton(message.current)?.custom_id;
    if (typeof runId !== "string") return `no comparison: ${message.text.slice(0, 200)}`;
    const revisions = message.revisions;
    const sentAt = handle.createdAt;
    const first = revisions[0];
    const last = revisions.at(-1);
    if (!first || !last) return "the reply has no revisions";
    const edits = revisions.slice(1);
    const gaps = edits.slice(1).map((edit, index) => edit.at - (edits[index]?.at ?? edit.at));
    const firstEdit = edits[0];
    const lastEdit = edits.at(-1);
    const withText = revisions.find((revision) => showsGeneratedText(revision.message));
    const record = bot.app.database.db
      .select()
      .from(compareRuns)
      .where(eq(compareRuns.id, runId.slice(STOP_PREFIX.length)))
      .get();
    const stored: unknown[] = Array.isArray(record?.results) ? record.results : [];
    return {
      firstReplyMs: first.at - sentAt,
      firstTextMs: withText ? withText.at - sentAt : null,
      finalMs: last.at - sentAt,
      edits: edits.length,
      editsPerSecond:
        firstEdit && lastEdit && edits.length >= 2
          ? ((edits.length - 1) * 1000) / (lastEdit.at - firstEdit.at)
          : null,
      minEditGapMs: gaps.length > 0 ? Math.min(...gaps) : null,
      firstEditAfterReplyMs: firstEdit ? firstEdit.at - first.at : null,
      requests: double.requests.filter((request) => request.at >= sentAt && request.at <= last.at).length,
      sides: stored.filter(isStoredSide).map((side) => ({
        key: side.key,
        tokens: side.stats?.tokens ?? 0,
        tokensPerSecond: side.stats?.tokensPerSecond ?? Number.NaN,
        timeToFirstTokenMs: side.stats?.timeToFirstTokenMs ?? null,
        stopReason: side.stats?.stopReason ?? "error",
      })),
    };
  };

  /** Starts a long comparison, presses Stop once text is streaming, and times the stop. */
  const stopOnce = async (): Promise<number | string> => {
    const handle = double.slash(member, "compare", {
      prompt: options.prompt,
      max_tokens: 4000,
      temperature: 0,
    });
    const streaming = await handle.waitForReply((message) => showsGeneratedText(message.current), 60_000);
    const stopId = stopButton(streaming.current)?.custom_id;
    if (typeof stopId !== "string" || isSettled(streaming))
      return "the run ended before Stop could be pressed";
    const click = double.click(member, streaming, stopId);
    const stopped = await handle.waitForReply(
      (message) => message.text.includes("stopped by the user"),
      60_000,
    );
    const at = stopped.revisions.find((revision) =>
      JSON.stringify(revision.message.embeds ?? []).includes("stopped by the user"),
    )?.at;
    return at === undefined ? "no revision says it stopped" : at - click.createdAt;
  };

  // Warm-up: discord.js caches, the first render, the first evaluation on each context.
  const warmUp = await runOnce();
  if (typeof warmUp === "string") return { samples, stopLatencyMs: [], failures: [`warm-up: ${warmUp}`] };

  const startedAt = performance.now();
  for (let run = 0; run < options.runs; run++) {
    if (run >= 3 && performance.now() - startedAt > options.budgetMs) break;
    const sample = await runOnce();
    if (typeof sample === "string") failures.push(sample);
    else samples.push(sample);
  }
  const stopLatencyMs: number[] = [];
  for (let run = 0; run < 5; run++) {
    const latency = await stopOnce();
    if (typeof latency === "string") failures.push(`Stop: ${latency}`);
    else stopLatencyMs.push(latency);
  }
  return { samples, stopLatencyMs, failures };
}
