import { randomBytes } from "node:crypto";
import { UserError } from "../errors.ts";
import { samplingLimits } from "../llm/samplingLimits.ts";
import type { Logger } from "../logger.ts";
import type { PairSource } from "../pairs/PairSource.ts";
import type { RandomSource } from "../random.ts";
import type { MessageAddress } from "../ui/interaction.ts";
import type { LiveMessages, LiveStream } from "../ui/LiveMessages.ts";
import type { View } from "../ui/view.ts";
import type { BlindVoteService } from "../votes/BlindVoteService.ts";
import type { BlindVote, ReplyLetter } from "../votes/blindVote.ts";
import type { CompareEngine, CompareMode, CompareRun, CompareSnapshot } from "./CompareEngine.ts";
import type { CompareRunStore, StoredSide } from "./CompareRunStore.ts";
import { liveCompareViewModel, storedCompareViewModel } from "./compareViewModel.ts";
import { describeTemplate, type TemplateDescription } from "./describeTemplate.ts";
import { renderCompare } from "./renderCompare.ts";
import { renderPrompts } from "./renderPrompts.ts";

export interface CompareInput {
  guildId: string;
  channelId: string;
  userId: string;
  prompt: string;
  /** The pair's id; absent, the default pair. */
  pair?: string;
  mode?: CompareMode;
  temperature?: number;
  maxTokens?: number;
  seed?: number;
  /** Post the replies as "Reply A" / "Reply B" and let members vote on which is the base model. */
  blind?: boolean;
  /** How long the blind vote stays open once the replies are complete. */
  voteSeconds?: number;
}

export interface CompareServiceOptions {
  engine: CompareEngine;
  /** The same pairs the engine uses: for loading notices, `/template` and Show prompts. */
  pairs: PairSource;
  runs: CompareRunStore;
  votes: BlindVoteService;
  /** Streams each run into its message. */
  liveMessages: LiveMessages;
  logger: Logger;
  now: () => Date;
  /** Seeds of re-rolls. */
  random: RandomSource;
}

/** The interaction token lives 15 minutes; keep a margin for the last edit. */
const tokenLifetimeMs = 15 * 60 * 1000 - 30_000;
const topP = samplingLimits.topP.default;
const defaultTemperature = samplingLimits.temperature.default;

/** A run whose pair is not loaded within this time gets a "loading …" message meanwhile. */
const LOADING_NOTICE_AFTER_MS = 500;

/** Whether `work` settles (either way) within `ms`; never rejects. */
async function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([
    work.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]);
  clearTimeout(timer);
  return settled;
}

/** What a run's message says while its pair loads. */
function loadingView(label: string): View {
  return { embeds: [{ description: `⏳ Loading ${label} …`, color: "neutral" }] };
}

/** What a loading notice becomes when the run cannot start after all. */
function failedView(label: string, reason: string): View {
  return { embeds: [{ title: label, description: `⚠️ ${reason}`, color: "warning" }] };
}

function newRunId(): string {
  return randomBytes(9).toString("base64url");
}

/**
 * `/compare` as members see it: checks the request, starts a run on the engine, streams it into
 * one message through {@link LiveMessages}, records the exact prompts and the outcome (so Show
 * prompts and Re-roll work after a restart), and hands a blind run to the vote service.
 */
export class CompareService {
  private readonly active = new Map<string, { run: CompareRun; userId: string }>();

  constructor(private readonly options: CompareServiceOptions) {}

  /**
   * Runs one comparison, loading its pair first when needed (the message says "loading …"
   * meanwhile). `post` sends the first state and says where it landed. Throws a UserError
   * (nothing posted) when the run cannot start: unknown pair, models not ready, prompt too long,
   * one run per member, cooldown, or a deadline the queue cannot meet. When a loading notice was
   * already posted, the notice is replaced by the reason instead.
   */
  async compare(
    input: CompareInput,
    receivedAt: Date,
    post: (view: View) => Promise<MessageAddress>,
  ): Promise<void> {
    const mode = input.mode ?? "side-by-side";
    if (input.blind && mode === "three-way") {
      throw new UserError("A blind vote compares two replies, so it can't be combined with mode:three-way.");
    }
    if (input.voteSeconds !== undefined && !input.blind) {
      throw new UserError("seconds sets the blind vote's timer; add blind:true to run a vote.");
    }
    const pair = this.options.pairs.describe(input.pair);
    const runId = newRunId();
    const draftedAt = this.options.now();
    // Drawn (and the timer length checked) before anything runs; the vote opens when replies are done.
    const draft = input.blind
      ? this.options.votes.draft({
          id: runId,
          guildId: input.guildId,
          channelId: input.channelId,
          authorId: input.userId,
          seconds: input.voteSeconds,
        })
      : undefined;
    const blind = draft ? { baseLetter: draft.baseLetter } : undefined;

    let stream: LiveStream | undefined;
    let address: MessageAddress | undefined;
    let run: CompareRun | undefined;
    const render = (snapshot: CompareSnapshot) => renderCompare(liveCompareViewModel(runId, snapshot, blind));
    const refresh = () => {
      if (run) stream?.show(render(run.snapshot()));
    };
    const starting = this.options.engine.start({
      userId: input.userId,
      prompt: input.prompt,
      pair: pair.id,
      mode,
      sampling: {
        temperature: input.temperature ?? defaultTemperature,
        topP,
        seed: input.seed,
        maxTokens: input.maxTokens,
      },
      deadline: receivedAt.getTime() + tokenLifetimeMs,
      listener: { onQueuePosition: refresh, onStart: refresh, onText: refresh, onSideDone: refresh },
    });
    // A pair that loads (or fails) at once needs no notice: a refusal then stays private.
    if (
      !this.options.pairs.isReady(pair.id) &&
      (await settlesWithin(starting, LOADING_NOTICE_AFTER_MS)) === false
    ) {
      address = await post(loadingView(pair.label));
      stream = this.options.liveMessages.stream(address);
    }
    try {
      run = await starting;
    } catch (error) {
      if (!stream || !(error instanceof UserError)) throw error;
      await stream.finish(failedView(pair.label, error.message), { immediate: true });
      return;
    }
    this.active.set(runId, { run, userId: input.userId });
    try {
      const first = run.snapshot();
      await this.options.runs.start({
        id: runId,
        guildId: input.guildId,
        channelId: input.channelId,
        userId: input.userId,
        prompt: input.prompt,
        pairId: pair.id,
        mode,
        sampling: first.sampling,
        blind: input.blind ?? false,
        promptsShown: Object.fromEntries(run.prompts.map((shown) => [shown.key, shown.text])),
        createdAt: draftedAt,
      });
      if (address && stream) {
        stream.show(render(first));
      } else {
        address = await post(render(first));
        stream = this.options.liveMessages.stream(address);
      }
      // Show what happened while the first message was being posted, but never spend the free
      // first edit on the empty state: the first token then reaches the channel at once.
      const current = run.snapshot();
      if (current.queuePosition !== first.queuePosition || current.sides.some((side) => side.text !== "")) {
        refresh();
      }
      await this.finishRun(runId, run, draft, draftedAt, address, stream);
    } finally {
      this.active.delete(runId);
    }
  }

  /** Waits for the run's end, stores it, opens the vote if blind, and shows the final state. */
  private async finishRun(
    runId: string,
    run: CompareRun,
    draft: BlindVote | undefined,
    draftedAt: Date,
    address: MessageAddress,
    stream: LiveStream,
  ): Promise<void> {
    let final: CompareSnapshot;
    let refusal: string | undefined;
    try {
      final = await run.done;
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      final = run.snapshot();
      refusal = error.message;
    }
    const sides: StoredSide[] = final.sides.map(({ key, label, text, stats, error }) => ({
      key,
      label,
      text,
      stats,
      error: error ?? (refusal && !stats ? refusal : undefined),
    }));
    const interrupted = final.sides.some((side) => side.stats?.stopReason === "restarting");
    const status = refusal ? "failed" : interrupted ? "interrupted" : "finished";
    await this.options.runs.finish(runId, status, sides, this.options.now());
    const vote =
      draft && status === "finished" ? await this.options.votes.open(draft, draftedAt, address) : undefined;
    const record = this.options.runs.get(runId);
    // A member who pressed Stop (or a restart) sees the result at once, not up to a second later.
    const stoppedEarly =
      refusal !== undefined ||
      final.sides.some(
        (side) => side.stats?.stopReason === "stopped" || side.stats?.stopReason === "restarting",
      );
    const view = record
      ? renderCompare(storedCompareViewModel(record, vote))
      : renderCompare(
          liveCompareViewModel(
            runId,
            { ...final, finished: true },
            draft && { baseLetter: draft.baseLetter },
          ),
        );
    await stream.finish(view, { immediate: stoppedEarly });
  }

  /** `/template`: the instruct model's template applied to a sample chat or the member's message. */
  async describeTemplate(message: string | undefined, pairId?: string): Promise<TemplateDescription> {
    const lease = await this.options.pairs.acquire(pairId);
    try {
      return await describeTemplate(lease, message);
    } finally {
      lease.release();
    }
  }

  /** Stops a running comparison; only its author may. */
  stop(runId: string, userId: string): void {
    const active = this.active.get(runId);
    if (!active) throw new UserError("This comparison has already finished.");
    if (active.userId !== userId) {
      throw new UserError("Only the member who started this comparison can stop it.");
    }
    active.run.stop();
  }

  /** The exact text each model received (ephemeral). Hidden during a blind vote. */
  showPrompts(runId: string): View {
    const record = this.record(runId);
    if (record.blind) {
      const vote = this.options.votes.get(runId);
      if (!vote || vote.revealedAt === null) {
        throw new UserError("The prompts would give the answer away; they are shown after the reveal.");
      }
    }
    const sides = this.options.pairs.loadedSides(record.pairId ?? undefined);
    const templateTokens = sides ? { endOfTurn: [...sides.instruct.endOfTurn] } : undefined;
    return renderPrompts(record.prompt, record.promptsShown ?? {}, templateTokens);
  }

  /** Settings of an earlier run with a new seed, for Re-roll (started by whoever pressed it). */
  rerollInput(runId: string, guildId: string, channelId: string, userId: string): CompareInput {
    const record = this.record(runId);
    return {
      guildId,
      channelId,
      userId,
      prompt: record.prompt,
      pair: record.pairId ?? undefined,
      mode: record.mode,
      temperature: record.temperature,
      maxTokens: record.maxTokens,
      seed: Math.floor(this.options.random() * 2 ** 31),
      blind: record.blind,
    };
  }

  /** A member's guess in a blind vote; returns the updated message and a note for the voter. */
  async vote(runId: string, memberId: string, letter: ReplyLetter): Promise<{ view: View; note: string }> {
    const { vote, note } = await this.options.votes.cast(runId, memberId, letter);
    return { view: this.renderStored(runId, vote), note };
  }

  /** Reveal pressed by a member: only the author may reveal early. */
  async reveal(runId: string, memberId: string): Promise<View> {
    return this.renderStored(runId, await this.options.votes.reveal(runId, memberId));
  }

  /** Stops every running comparison ("the bot is restarting") and every vote timer (shutdown). */
  async close(): Promise<void> {
    this.options.votes.close();
    await this.options.engine.close();
  }

  private record(runId: string) {
    const record = this.options.runs.get(runId);
    if (!record) throw new UserError("I no longer have this comparison. Run /compare again.");
    return record;
  }

  private renderStored(runId: string, vote: BlindVote): View {
    return renderCompare(storedCompareViewModel(this.record(runId), vote));
  }
}
