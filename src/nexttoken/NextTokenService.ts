import { randomBytes, randomInt } from "node:crypto";
import type { Token } from "node-llama-cpp";
import { renderNextTokenChart } from "../charts/nextTokenChart.ts";
import type { RenderedChart } from "../charts/rasterizeSvg.ts";
import { UserError } from "../errors.ts";
import { applyChatTemplate } from "../llm/applyChatTemplate.ts";
import { describeModelProblem } from "../llm/describeModelProblem.ts";
import { ChatTemplateError } from "../llm/errors/ChatTemplateError.ts";
import { ModelNotReadyError } from "../llm/errors/ModelNotReadyError.ts";
import type { LoadedModel } from "../llm/LoadedModel.ts";
import type { LocalModels, ModelRole } from "../llm/LocalModels.ts";
import type { RenderedChatPrompt } from "../llm/renderChatPrompt.ts";
import type { Logger } from "../logger.ts";
import type { View } from "../ui/view.ts";
import { NextTokenEvaluator } from "./NextTokenEvaluator.ts";
import type { NextTokenSideName } from "./NextTokenSideName.ts";
import { DEFAULT_MAX_STEPS, NextTokenWalk } from "./NextTokenWalk.ts";
import { DEFAULT_TOP_K, MAX_TOP_K } from "./nextTokenDistribution.ts";
import { type NextTokenViewModel, nextTokenChartInput, renderNextToken } from "./renderNextToken.ts";

/** What a member asked `/nexttoken` for. */
export interface NextTokenInput {
  userId: string;
  /** Shown in the footer as the one who may press the buttons. */
  userName: string;
  prompt: string;
  /** Candidates listed per model, 1 to {@link MAX_TOP_K}. Default {@link DEFAULT_TOP_K}. */
  top?: number;
  /** 0 to {@link MAX_TEMPERATURE}: 0 appends the most likely token, above 0 samples. Default 0. */
  temperature?: number;
}

export interface NextTokenServiceOptions {
  models: LocalModels;
  logger: Logger;
  /**
   * Longest prompt in tokens (the instruct one counted with its template). Lowered when a model's
   * sequence cannot hold it plus {@link maxSteps}. Default 512.
   */
  maxPromptTokens?: number;
  /** Tokens a walk may append. Default {@link DEFAULT_MAX_STEPS}. */
  maxSteps?: number;
  /** Walks kept at once; a new one closes the least recently used. Default 20. */
  maxWalks?: number;
  /** A walk nobody touched for this long is closed. Default 30 minutes. */
  idleMs?: number;
  /** Seeds of sampled walks. Default: a random 31-bit integer. */
  seed?: () => number;
}

/** Longest prompt accepted, in characters (the same as the slash command's `max_length`). */
export const MAX_PROMPT_CHARS = 1000;
export const MAX_TEMPERATURE = 2;

interface LiveWalk {
  readonly walk: NextTokenWalk;
  readonly ownerId: string;
  /** What the message shows now; its `state` changes with each step. */
  shown: NextTokenViewModel;
  /** The chart of {@link shown}, kept so Done can show it again. */
  chart: RenderedChart;
  /** A step is being computed: other clicks wait until it is shown. */
  busy: boolean;
  idleTimer: NodeJS.Timeout | undefined;
}

/**
 * `/nexttoken` as members see it: walks through generation one token at a time for the base model
 * (raw text) and the instruct model (inside its chat template), drawing each step as a chart.
 * Probabilities come from node-llama-cpp, through one {@link NextTokenEvaluator} per model on the
 * sequence {@link LocalModels} keeps for `/nexttoken` in that model's context. Walks live in memory only, keyed by a
 * random id in the button ids; after a restart their buttons say the walk has expired.
 */
export class NextTokenService {
  private readonly walks = new Map<string, LiveWalk>();
  private readonly evaluators = new Map<LoadedModel, NextTokenEvaluator>();
  private readonly maxSteps: number;
  private readonly idleMs: number;
  private closed = false;

  constructor(private readonly options: NextTokenServiceOptions) {
    this.maxSteps = options.maxSteps ?? DEFAULT_MAX_STEPS;
    this.idleMs = options.idleMs ?? 30 * 60 * 1000;
  }

  /** Both models have finished loading or failed (so asking for them will not wait). */
  get modelsSettled(): boolean {
    return this.options.models.isSettled;
  }

  /** Waits (at most `timeoutMs`) for both models to finish loading or fail. */
  waitForModels(timeoutMs = 30_000): Promise<void> {
    return this.options.models.waitUntilSettled(timeoutMs);
  }

  /** Walks open now. */
  get liveWalks(): number {
    return this.walks.size;
  }

  /**
   * Opens a walk and returns its first message (the prompt as given). Everything a member can get
   * wrong (options, prompt too long, a missing model) throws a {@link UserError}. Waits for models
   * still loading; the runtime has acknowledged the interaction already (the command is slow).
   */
  async start(input: NextTokenInput): Promise<View> {
    if (this.closed) throw new UserError("I'm restarting right now; please try again in a minute.");
    const { prompt, topK, temperature } = checkInput(input);
    if (!this.modelsSettled) await this.waitForModels();
    const base = this.loaded("base");
    const instruct = this.loaded("instruct");
    const baseEvaluator = this.evaluator(base);
    const instructEvaluator = this.evaluator(instruct);
    const smallestContext = Math.min(baseEvaluator.contextSize, instructEvaluator.contextSize);
    const walk = new NextTokenWalk({
      base: { evaluator: baseEvaluator, prompt },
      instruct: { evaluator: instructEvaluator, prompt: renderInstructPrompt(instruct, prompt) },
      topK,
      maxSteps: this.maxSteps,
      maxPromptTokens: Math.min(this.options.maxPromptTokens ?? 512, smallestContext - this.maxSteps),
    });
    try {
      const state = await walk.start();
      const shown: NextTokenViewModel = {
        walkId: randomBytes(9).toString("base64url"),
        prompt,
        state,
        modelNames: { base: base.name, instruct: instruct.name },
        temperature,
        seed: temperature > 0 ? (this.options.seed?.() ?? randomInt(2 ** 31)) : 0,
        topK,
        ownerName: input.userName,
        closed: false,
      };
      const chart = await renderNextTokenChart(nextTokenChartInput(shown));
      const live: LiveWalk = { walk, ownerId: input.userId, shown, chart, busy: false, idleTimer: undefined };
      this.keep(live);
      return renderNextToken(shown, chart);
    } catch (error) {
      await walk.dispose();
      throw error;
    }
  }

  /**
   * Next token: appends one token per model (the most likely one, or a seeded sample when the walk
   * has a temperature) and returns the redrawn message. With `chosen`, that model appends the
   * candidate the member picked from its menu instead (the other model steps as usual).
   */
  async next(walkId: string, memberId: string, chosen?: { side: string; token: string }): Promise<View> {
    const live = this.owned(walkId, memberId);
    if (live.shown.state.finished) {
      throw new UserError(
        "This walk is finished: no tokens are left to add. Run /nexttoken to start another.",
      );
    }
    if (live.busy) throw new UserError("I'm still working out the previous token; press again in a moment.");
    live.busy = true;
    try {
      this.touch(live);
      const { temperature, seed } = live.shown;
      const pick = chosen && this.pickOf(live, chosen);
      const shown = { ...live.shown, state: await live.walk.step({ temperature, seed, chosen: pick }) };
      live.chart = await renderNextTokenChart(nextTokenChartInput(shown));
      live.shown = shown;
      return renderNextToken(shown, live.chart);
    } finally {
      live.busy = false;
    }
  }

  /** The candidate a menu pick names, if it is one of the shown candidates of that model. */
  private pickOf(
    live: LiveWalk,
    chosen: { side: string; token: string },
  ): { side: NextTokenSideName; token: Token } {
    const side = chosen.side === "base" || chosen.side === "instruct" ? chosen.side : undefined;
    const candidate =
      side && live.shown.state[side].top.find((shown) => String(shown.token) === chosen.token);
    if (!side || !candidate) {
      throw new UserError(
        "That token is no longer one of the choices on this step. Pick again from the menu.",
      );
    }
    return { side, token: candidate.token };
  }

  /** Done: closes the walk and returns its last message with every button off. */
  async done(walkId: string, memberId: string): Promise<View> {
    const live = this.owned(walkId, memberId);
    if (live.busy) throw new UserError("I'm still working out the next token; press Done again in a moment.");
    await this.forget(live);
    return renderNextToken({ ...live.shown, closed: true }, live.chart);
  }

  /** Closes every walk and waits for their evaluations (shutdown, before the models are disposed). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.walks.values()].map((live) => this.forget(live)));
    const evaluators = [...this.evaluators.values()];
    this.evaluators.clear();
    for (const evaluator of evaluators) await evaluator.dispose();
  }

  private loaded(role: ModelRole): LoadedModel {
    try {
      return this.options.models.get(role);
    } catch (error) {
      if (error instanceof ModelNotReadyError) throw new UserError(describeModelProblem(error));
      throw error;
    }
  }

  /** One evaluator per loaded model, on the sequence kept for `/nexttoken`; walks take turns on it. */
  private evaluator(loaded: LoadedModel): NextTokenEvaluator {
    let evaluator = this.evaluators.get(loaded);
    if (!evaluator) {
      evaluator = new NextTokenEvaluator(loaded.nextTokenSequence);
      this.evaluators.set(loaded, evaluator);
    }
    return evaluator;
  }

  private owned(walkId: string, memberId: string): LiveWalk {
    const live = this.walks.get(walkId);
    if (!live) {
      const minutes = Math.max(1, Math.round(this.idleMs / 60_000));
      throw new UserError(
        `This walk has expired: walks close after ${minutes} idle minute${minutes === 1 ? "" : "s"}, when many are open, or when the bot restarts. Run /nexttoken to start a new one.`,
      );
    }
    if (live.ownerId !== memberId) {
      throw new UserError(
        `These buttons belong to ${live.shown.ownerName}'s walk. Run /nexttoken to start your own.`,
      );
    }
    return live;
  }

  /** Stores a new walk, closing the least recently used ones that are idle when there are too many. */
  private keep(live: LiveWalk): void {
    const maxWalks = this.options.maxWalks ?? 20;
    for (const old of this.walks.values()) {
      if (this.walks.size < maxWalks) break;
      if (!old.busy) void this.forget(old);
    }
    this.walks.set(live.shown.walkId, live);
    this.touch(live);
  }

  /** Marks a walk as used now: it moves to the back of the eviction order and its idle timer restarts. */
  private touch(live: LiveWalk): void {
    this.walks.delete(live.shown.walkId);
    this.walks.set(live.shown.walkId, live);
    clearTimeout(live.idleTimer);
    live.idleTimer = setTimeout(() => void this.forget(live), this.idleMs);
    live.idleTimer.unref();
  }

  private async forget(live: LiveWalk): Promise<void> {
    clearTimeout(live.idleTimer);
    this.walks.delete(live.shown.walkId);
    await live.walk.dispose();
  }
}

function checkInput(input: NextTokenInput): { prompt: string; topK: number; temperature: number } {
  const { prompt, top: topK = DEFAULT_TOP_K, temperature = 0 } = input;
  if (prompt.trim() === "") throw new UserError("Give me some text to continue: the prompt is empty.");
  if (prompt.length > MAX_PROMPT_CHARS) {
    throw new UserError(
      `That prompt is ${prompt.length} characters long; the limit is ${MAX_PROMPT_CHARS}. Try a shorter one.`,
    );
  }
  if (!Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
    throw new UserError(`top must be a whole number from 1 to ${MAX_TOP_K}.`);
  }
  if (!(Number.isFinite(temperature) && temperature >= 0 && temperature <= MAX_TEMPERATURE)) {
    throw new UserError(`temperature must be between 0 and ${MAX_TEMPERATURE}.`);
  }
  return { prompt, topK, temperature };
}

/**
 * The member's prompt as the instruct model's own template presents a user message, ready for its
 * answer. The walk tokenizes it knowing which text the member wrote, so control-token text they
 * typed (`<|im_end|>`) stays plain text, as in /compare.
 */
function renderInstructPrompt(instruct: LoadedModel, prompt: string): RenderedChatPrompt {
  try {
    return applyChatTemplate(instruct.model, instruct.chatTemplate ?? "", [
      { role: "user", content: prompt },
    ]);
  } catch (error) {
    if (error instanceof ChatTemplateError) {
      throw new UserError(
        `The instruct model's chat template does not work (${error.message}). The bot's operator needs to check INSTRUCT_MODEL.`,
      );
    }
    throw error;
  }
}
