import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { AppDatabase } from "../db/openDatabase.ts";
import { compareRuns } from "../db/schema.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { UserError } from "../errors.ts";
import { describeModelProblem } from "../llm/describeModelProblem.ts";
import { describeTemplateTokens } from "../llm/describeTemplateTokens.ts";
import { ModelNotReadyError } from "../llm/errors/ModelNotReadyError.ts";
import type { LocalModels } from "../llm/LocalModels.ts";
import { samplingLimits } from "../llm/samplingLimits.ts";
import type { Logger } from "../logger.ts";
import type { ChannelMessages, EditableMessage } from "../ui/interaction.ts";
import { ThrottledEditor } from "../ui/ThrottledEditor.ts";
import type { View } from "../ui/view.ts";
import type { BlindVoteStore } from "../votes/BlindVoteStore.ts";
import {
  arrangeReplies,
  type BlindVote,
  openBlindVote,
  type ReplyLetter,
  results,
  tally,
} from "../votes/blindVote.ts";
import type {
  CompareEngine,
  CompareMode,
  CompareRun,
  CompareSide,
  CompareSnapshot,
} from "./CompareEngine.ts";
import { describeTemplate, type TemplateDescription } from "./describeTemplate.ts";
import { type CompareSideView, type CompareViewModel, renderCompare } from "./renderCompare.ts";
import { renderPrompts } from "./renderPrompts.ts";

export interface CompareInput {
  guildId: string;
  channelId: string;
  userId: string;
  prompt: string;
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
  models: LocalModels;
  db: AppDatabase;
  votes: BlindVoteStore;
  logger: Logger;
  now?: () => Date;
  /** Shortest gap between two edits of a streaming message. Default 1000 ms. */
  editIntervalMs?: number;
  /** For the blind-vote side assignment. Default `Math.random`. */
  random?: () => number;
  /** Highest `max_tokens` a member may ask for; asking for more is refused with the limit. Default 1000. */
  maxTokensLimit?: number;
}

/** A finished side as stored in `compare_runs.results`. */
interface StoredSide {
  key: CompareSide["key"];
  label: string;
  text: string;
  stats?: CompareSide["stats"];
  error?: string;
}

type CompareRecord = typeof compareRuns.$inferSelect;

/** The interaction token lives 15 minutes; keep a margin for the last edit. */
const tokenLifetimeMs = 15 * 60 * 1000 - 30_000;
const topP = samplingLimits.topP.default;
const defaultTemperature = samplingLimits.temperature.default;

function newRunId(): string {
  return randomBytes(9).toString("base64url");
}

/**
 * `/compare` as members see it: starts a run on the engine, streams it into one message (at most
 * one edit a second), records the exact prompts and the outcome in SQLite (so Show prompts and
 * Re-roll work after a restart), and runs the blind vote when asked.
 */
export class CompareService {
  private readonly active = new Map<string, { run: CompareRun; userId: string }>();
  private readonly liveMessages = new Map<string, EditableMessage>();
  private readonly voteTimers = new Map<string, NodeJS.Timeout>();
  private channelMessages: ChannelMessages | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: CompareServiceOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /**
   * Where reveals are posted when the interaction token of the original message is gone (after
   * a restart). Set by the platform (Discord or the playground) once it is connected; votes left
   * open by a previous run are re-armed then.
   */
  attachChannelMessages(channelMessages: ChannelMessages): void {
    this.channelMessages = channelMessages;
    for (const vote of this.options.votes.unrevealed()) this.armVoteTimer(vote);
  }

  /**
   * Runs one comparison. `post` sends the first state and returns the message to keep editing.
   * Throws a UserError (nothing posted) when the run cannot start: models not ready, prompt too
   * long, one run per member, cooldown, or a deadline the queue cannot meet.
   */
  async compare(
    input: CompareInput,
    receivedAt: Date,
    post: (view: View) => Promise<EditableMessage>,
  ): Promise<void> {
    const mode = input.mode ?? "side-by-side";
    const maxTokensLimit = this.options.maxTokensLimit ?? 1000;
    if (input.maxTokens !== undefined && input.maxTokens > maxTokensLimit) {
      throw new UserError(`max_tokens can be at most ${maxTokensLimit} on this server.`);
    }
    if (input.blind && mode === "three-way") {
      throw new UserError("A blind vote compares two replies, so it can't be combined with mode:three-way.");
    }
    const runId = newRunId();
    const openedAt = this.now();
    // Drawn (and the timer length checked) before anything runs; the vote opens when replies are done.
    const draftVote = input.blind
      ? openBlindVote({
          id: runId,
          guildId: input.guildId,
          channelId: input.channelId,
          authorId: input.userId,
          now: openedAt,
          durationSeconds: input.voteSeconds,
          random: this.options.random,
        })
      : undefined;
    const baseLetter = draftVote?.baseLetter;

    let editor: ThrottledEditor | undefined;
    let run: CompareRun;
    const render = (snapshot: CompareSnapshot) =>
      renderCompare(this.viewModel(runId, snapshot, baseLetter, undefined));
    try {
      run = this.options.engine.start({
        userId: input.userId,
        prompt: input.prompt,
        mode,
        sampling: {
          temperature: input.temperature ?? defaultTemperature,
          topP,
          seed: input.seed,
          maxTokens: input.maxTokens,
        },
        deadline: receivedAt.getTime() + tokenLifetimeMs,
        listener: {
          onQueuePosition: () => editor?.show(render(run.snapshot())),
          onStart: () => editor?.show(render(run.snapshot())),
          onText: () => editor?.show(render(run.snapshot())),
          onSideDone: () => editor?.show(render(run.snapshot())),
        },
      });
    } catch (error) {
      if (error instanceof ModelNotReadyError) throw new UserError(describeModelProblem(error));
      throw error;
    }
    this.active.set(runId, { run, userId: input.userId });
    const first = run.snapshot();
    try {
      writeTransaction(this.options.db, (tx) => {
        tx.insert(compareRuns)
          .values({
            id: runId,
            guildId: input.guildId,
            channelId: input.channelId,
            userId: input.userId,
            prompt: input.prompt,
            mode,
            temperature: first.sampling.temperature,
            topP: first.sampling.topP,
            maxTokens: first.sampling.maxTokens,
            seed: first.sampling.seed,
            blind: input.blind ?? false,
            status: "running",
            promptsShown: Object.fromEntries(run.prompts.map((shown) => [shown.key, shown.text])),
            createdAt: this.now(),
          })
          .run();
      });
      const message = await post(render(first));
      this.liveMessages.set(runId, message);
      editor = new ThrottledEditor(message, {
        minIntervalMs: this.options.editIntervalMs,
        onError: (error) => this.options.logger.warn({ err: error, runId }, "a streaming edit failed"),
      });
      // Show what happened while the first message was being posted, but never spend the free
      // first edit on the empty state: the first token then reaches the channel at once.
      const current = run.snapshot();
      if (current.queuePosition !== first.queuePosition || current.sides.some((side) => side.text !== "")) {
        editor.show(render(current));
      }

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
      writeTransaction(this.options.db, (tx) => {
        tx.update(compareRuns)
          .set({ status: refusal ? "failed" : "finished", results: sides, finishedAt: this.now() })
          .where(eq(compareRuns.id, runId))
          .run();
      });
      let vote: BlindVote | undefined;
      if (draftVote && !refusal) {
        const votingMs = draftVote.closesAt.getTime() - openedAt.getTime();
        vote = {
          ...draftVote,
          closesAt: new Date(this.now().getTime() + votingMs),
          messageId: message.id ?? null,
        };
        this.options.votes.open(vote);
        this.armVoteTimer(vote);
      }
      const record = this.record(runId);
      // A member who pressed Stop sees the result at once, not up to a second later.
      const stoppedEarly =
        refusal !== undefined || final.sides.some((side) => side.stats?.stopReason === "stopped");
      await editor.finish(record ? this.renderRecord(record, vote) : render({ ...final, finished: true }), {
        immediate: stoppedEarly,
      });
    } finally {
      this.active.delete(runId);
      if (!input.blind) this.liveMessages.delete(runId);
    }
  }

  /** False while either model is still loading (or downloading). */
  get modelsSettled(): boolean {
    return this.options.models.isSettled;
  }

  /** Waits (at most `timeoutMs`) for both models to finish loading or fail. */
  waitForModels(timeoutMs = 30_000): Promise<void> {
    return this.options.models.waitUntilSettled(timeoutMs);
  }

  /** `/template`: the instruct model's template applied to a sample chat or the member's message. */
  describeTemplate(message: string | undefined): TemplateDescription {
    try {
      return describeTemplate(this.options.models, message);
    } catch (error) {
      if (error instanceof ModelNotReadyError) throw new UserError(describeModelProblem(error));
      throw error;
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
    if (!record) throw new UserError("I no longer have this comparison. Run /compare again.");
    if (record.blind) {
      const vote = this.options.votes.get(runId);
      if (!vote || vote.revealedAt === null) {
        throw new UserError("The prompts would give the answer away; they are shown after the reveal.");
      }
    }
    const models = this.options.models;
    const templateTokens =
      models.status("instruct").state === "ready"
        ? describeTemplateTokens(models.get("instruct"))
        : undefined;
    return renderPrompts(record.prompt, record.promptsShown ?? {}, templateTokens);
  }

  /** Settings of an earlier run with a new seed, for Re-roll (started by whoever pressed it). */
  rerollInput(runId: string, guildId: string, channelId: string, userId: string): CompareInput {
    const record = this.record(runId);
    if (!record) throw new UserError("I no longer have this comparison. Run /compare again.");
    return {
      guildId,
      channelId,
      userId,
      prompt: record.prompt,
      mode: record.mode,
      temperature: record.temperature,
      maxTokens: record.maxTokens,
      seed: Math.floor(Math.random() * 2 ** 31),
      blind: record.blind,
    };
  }

  /** A member's guess in a blind vote; returns the updated message and a note for the voter. */
  vote(runId: string, memberId: string, letter: ReplyLetter): { view: View; note: string } {
    const outcome = this.options.votes.cast(runId, memberId, letter, this.now());
    if (!outcome)
      throw new UserError("This vote no longer exists. Start a new one with /compare blind:true.");
    const record = this.record(runId);
    if (!record) throw new UserError("I no longer have this comparison. Run /compare again.");
    if (outcome.outcome === "closed") {
      const revealed = this.revealNow(runId, "timer");
      return { view: revealed ?? this.renderRecord(record, outcome.vote), note: "This vote has closed." };
    }
    const notes: Record<Exclude<typeof outcome.outcome, "closed">, string> = {
      recorded: `Your vote is in: you think Reply ${letter} came from the base model.`,
      changed: `Vote changed: you now think Reply ${letter} came from the base model.`,
      unchanged: `You already voted for Reply ${letter}.`,
    };
    return { view: this.renderRecord(record, outcome.vote), note: notes[outcome.outcome] };
  }

  /** Reveal pressed by a member: only the author may reveal early. */
  reveal(runId: string, memberId: string): View {
    const outcome = this.options.votes.reveal(runId, { memberId }, this.now());
    if (!outcome)
      throw new UserError("This vote no longer exists. Start a new one with /compare blind:true.");
    if (outcome.outcome === "not-author") {
      throw new UserError("Only the member who started this comparison can reveal it early.");
    }
    this.clearVoteTimer(runId);
    const record = this.record(runId);
    if (!record) throw new UserError("I no longer have this comparison. Run /compare again.");
    return this.renderRecord(record, outcome.vote);
  }

  /** Stops every running comparison and vote timer (shutdown). Votes stay stored. */
  async close(): Promise<void> {
    for (const timer of this.voteTimers.values()) clearTimeout(timer);
    this.voteTimers.clear();
    await this.options.engine.close();
  }

  private revealNow(runId: string, by: "timer"): View | undefined {
    const outcome = this.options.votes.reveal(runId, by, this.now());
    if (!outcome) return undefined;
    this.clearVoteTimer(runId);
    const record = this.record(runId);
    return record ? this.renderRecord(record, outcome.vote) : undefined;
  }

  private armVoteTimer(vote: BlindVote): void {
    this.clearVoteTimer(vote.id);
    const wait = Math.max(0, vote.closesAt.getTime() - this.now().getTime());
    const timer = setTimeout(() => {
      this.voteTimers.delete(vote.id);
      void this.postTimerReveal(vote).catch((error: unknown) =>
        this.options.logger.warn({ err: error, voteId: vote.id }, "could not post a vote reveal"),
      );
    }, wait);
    timer.unref();
    this.voteTimers.set(vote.id, timer);
  }

  private clearVoteTimer(voteId: string): void {
    clearTimeout(this.voteTimers.get(voteId));
    this.voteTimers.delete(voteId);
  }

  private async postTimerReveal(vote: BlindVote): Promise<void> {
    const view = this.revealNow(vote.id, "timer");
    if (!view) return;
    const live = this.liveMessages.get(vote.id);
    this.liveMessages.delete(vote.id);
    if (live) {
      try {
        await live.edit(view);
        return;
      } catch (error) {
        this.options.logger.info(
          { err: error, voteId: vote.id },
          "interaction edit failed; using the channel",
        );
      }
    }
    const stored = this.options.votes.get(vote.id);
    if (this.channelMessages && stored?.messageId) {
      await this.channelMessages.edit(stored.channelId, stored.messageId, view);
    }
  }

  private record(runId: string): CompareRecord | undefined {
    return this.options.db.select().from(compareRuns).where(eq(compareRuns.id, runId)).get();
  }

  /** Renders a stored run (finished), with its blind vote when it has one. */
  private renderRecord(record: CompareRecord, vote: BlindVote | undefined): View {
    const sides = ((record.results ?? []) as StoredSide[]).map(
      (side): CompareSideView => ({ ...side, state: "done" }),
    );
    const snapshotLike = {
      sides,
      sampling: {
        temperature: record.temperature,
        topP: record.topP,
        seed: record.seed,
        maxTokens: record.maxTokens,
      },
    };
    const base = vote?.baseLetter;
    return renderCompare(this.viewModelFrom(record.id, record.prompt, snapshotLike, true, base, vote));
  }

  private viewModel(
    runId: string,
    snapshot: CompareSnapshot,
    baseLetter: ReplyLetter | undefined,
    vote: BlindVote | undefined,
  ): CompareViewModel {
    return {
      ...this.viewModelFrom(runId, snapshot.prompt, snapshot, snapshot.finished, baseLetter, vote),
      queuePosition: snapshot.queuePosition > 0 ? snapshot.queuePosition : undefined,
    };
  }

  private viewModelFrom(
    runId: string,
    prompt: string,
    snapshot: { sides: CompareSideView[] | CompareSide[]; sampling: CompareViewModel["sampling"] },
    finished: boolean,
    baseLetter: ReplyLetter | undefined,
    vote: BlindVote | undefined,
  ): CompareViewModel {
    const sides: CompareSideView[] = snapshot.sides.map((side) => ({
      key: side.key,
      label: side.label,
      text: side.text,
      state: side.state,
      stats: side.stats,
      error: side.error,
    }));
    if (baseLetter === undefined) {
      return { runId, prompt, sides, sampling: snapshot.sampling, finished };
    }
    // Blind: Reply A and Reply B in the drawn order, model names and stats hidden until the reveal.
    const revealed = vote?.revealedAt != null;
    const base = sides.find((side) => side.key === "base");
    const instruct = sides.find((side) => side.key === "instruct");
    const arranged = arrangeReplies(baseLetter, { base, instruct });
    const ordered = [arranged.A, arranged.B].filter((side): side is CompareSideView => side !== undefined);
    const letters: ReplyLetter[] = ["A", "B"];
    const blindSides = ordered.map((side, index) => ({
      ...side,
      label: revealed ? `Reply ${letters[index]} — ${side.label}` : `Reply ${letters[index]}`,
      stats: revealed ? side.stats : undefined,
    }));
    return {
      runId,
      prompt,
      sides: blindSides,
      sampling: snapshot.sampling,
      finished,
      note: this.voteNote(vote, finished),
      promptsHidden: !revealed,
      extraButtons:
        vote && !revealed
          ? [
              { id: `vote:pick:${runId}:A`, label: "A is the base model", style: "primary" },
              { id: `vote:pick:${runId}:B`, label: "B is the base model", style: "primary" },
              { id: `vote:reveal:${runId}`, label: "Reveal", style: "secondary" },
            ]
          : undefined,
    };
  }

  private voteNote(vote: BlindVote | undefined, finished: boolean): string {
    if (!vote) {
      return finished
        ? "**Blind vote:** the vote could not start."
        : "**Blind vote:** which reply comes from the base model? Voting opens when both replies are done.";
    }
    const counts = tally(vote);
    if (vote.revealedAt === null) {
      const closes = Math.floor(vote.closesAt.getTime() / 1000);
      return `**Blind vote:** which reply comes from the base model? ${counts.A + counts.B} vote(s) so far. Voting closes <t:${closes}:R>; the author can reveal early.`;
    }
    const outcome = results(vote);
    const right =
      outcome.rightVoters.length > 0
        ? outcome.rightVoters.map((id) => `<@${id}>`).join(", ")
        : "nobody this time";
    return [
      `**Revealed:** Reply ${outcome.baseLetter} came from the **base** model.`,
      `Votes: A ${counts.A} · B ${counts.B}. Right: ${right}${outcome.rightVoters.length > 0 ? ` (+${outcome.pointsAwarded[0]?.points ?? 0} points each)` : ""}.`,
    ].join("\n");
  }
}
