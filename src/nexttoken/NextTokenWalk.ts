import type { Token } from "node-llama-cpp";
import { SerialQueue } from "../async/SerialQueue.ts";
import { PromptTooLongError } from "../llm/errors/PromptTooLongError.ts";
import type { RenderedChatPrompt } from "../llm/renderChatPrompt.ts";
import { seededRandom } from "../random.ts";
import type { NextTokenPredictor } from "./NextTokenPredictor.ts";
import type { NextTokenSideName } from "./NextTokenSideName.ts";
import { NextTokenWalkFinishedError } from "./NextTokenWalkFinishedError.ts";
import {
  assertTopK,
  DEFAULT_TOP_K,
  type NextTokenCandidate,
  type NextTokenDistribution,
  nextTokenDistribution,
} from "./nextTokenDistribution.ts";
import { pickNextToken } from "./pickNextToken.ts";

/** One model of a walk and the prompt it continues, tokenized by the predictor (`tokenizePrompt`). */
export interface NextTokenWalkSide<Prompt extends string | RenderedChatPrompt> {
  /** In-process or on a server; shared between walks is fine; a walk never disposes it. */
  evaluator: NextTokenPredictor;
  prompt: Prompt;
}

export interface NextTokenWalkOptions {
  /** The base model continues raw text: control-token text in it, such as `<|im_end|>`, stays plain text. */
  base: NextTokenWalkSide<string>;
  /**
   * The instruct model continues the member's prompt rendered in its chat template
   * (`renderChatPrompt`): the control tokens the template wrote (`<|im_start|>`…) are control
   * tokens, while ones the member typed stay plain text, so they cannot end the turn or forge one.
   */
  instruct: NextTokenWalkSide<RenderedChatPrompt>;
  /** Candidates described per model and step, 1 to 20. Default {@link DEFAULT_TOP_K}. */
  topK?: number;
  /**
   * Longest prompt accepted, in tokens, counted per model (the instruct prompt with its template).
   * Longer ones throw {@link PromptTooLongError}. Default {@link DEFAULT_MAX_PROMPT_TOKENS}.
   */
  maxPromptTokens?: number;
  /** Steps before the walk is finished. Default {@link DEFAULT_MAX_STEPS}. */
  maxSteps?: number;
}

export interface NextTokenStepOptions {
  /** 0 appends each model's most likely token; above 0 samples (see `pickNextToken`). */
  temperature: number;
  /**
   * Makes a sampled step reproducible: the same seed on the same walk state appends the same
   * tokens. Unused at temperature 0. Default 0.
   */
  seed?: number;
  /**
   * A token a member chose for one model from its shown candidates: that model appends it instead
   * of its own pick (the other model steps as usual), so a room can follow an unlikely branch.
   */
  chosen?: { side: NextTokenSideName; token: Token };
}

/** Where one model is. */
export interface NextTokenSideState {
  /** The prompt as given, then the appended tokens, detokenized with special tokens written out. */
  text: string;
  /** Only the appended part of {@link text}. */
  appendedText: string;
  /** What the model was fed before the first step, BOS included when the model wants one. */
  promptTokens: readonly Token[];
  /**
   * Special-token text such as `<|im_end|>` that the member typed and that was fed as plain text,
   * not as the control token (see `tokenizePrompt`). Empty when there was none.
   */
  neutralizedSpecialTokens: readonly string[];
  /** Every appended token, oldest first, with the probability it had when it was chosen. */
  appendedTokens: readonly NextTokenCandidate[];
  /** What the latest step appended here; absent at step 0 and on steps after this side ended. */
  appended?: NextTokenCandidate;
  /** Candidates for the next token, most likely first; empty once the side has ended. */
  top: readonly NextTokenCandidate[];
  /** The probability of all tokens not in {@link top}; 0 once the side has ended. */
  restProbability: number;
  /** The model appended an end-of-generation token (such as `<|im_end|>` or `</s>`) and stopped. */
  ended: boolean;
}

/** Both models after `step` steps. */
export interface NextTokenWalkState {
  /** Steps taken; 0 right after `start()`. */
  step: number;
  maxSteps: number;
  /** No step is left: the limit is reached or both sides ended. */
  finished: boolean;
  base: NextTokenSideState;
  instruct: NextTokenSideState;
}

export const DEFAULT_MAX_PROMPT_TOKENS = 256;
export const DEFAULT_MAX_STEPS = 64;

/** A side's prompt, tokenized once when the walk starts. */
interface PreparedPrompt {
  readonly evaluator: NextTokenPredictor;
  readonly text: string;
  readonly tokens: readonly Token[];
  readonly neutralizedSpecialTokens: readonly string[];
}

interface SideRun {
  readonly name: NextTokenSideName;
  readonly prompt: PreparedPrompt;
  readonly tokens: readonly Token[];
  readonly appendedTokens: readonly NextTokenCandidate[];
  readonly appended?: NextTokenCandidate;
  /** `null` once ended. */
  readonly next: NextTokenDistribution | null;
}

/**
 * A step-by-step generation of one prompt by a base and an instruct model side by side: `start()`
 * shows each model's next-token distribution, each `step()` appends one token per model (its own
 * choice from its own distribution) and shows the new distributions. Calls run one at a time.
 */
export class NextTokenWalk {
  private readonly topK: number;
  private readonly maxSteps: number;
  private readonly maxPromptTokens: number;
  private readonly sides: NextTokenWalkOptions;
  private prompts: Record<NextTokenSideName, PreparedPrompt> | undefined;
  private readonly queue = new SerialQueue();
  private runs: { base: SideRun; instruct: SideRun } | undefined;
  private latest: NextTokenWalkState | undefined;
  private stepCount = 0;
  private disposed = false;

  /** Checks the options; `start()` tokenizes the prompts. */
  constructor(options: NextTokenWalkOptions) {
    const {
      topK = DEFAULT_TOP_K,
      maxPromptTokens = DEFAULT_MAX_PROMPT_TOKENS,
      maxSteps = DEFAULT_MAX_STEPS,
    } = options;
    assertTopK(topK);
    if (!Number.isInteger(maxSteps) || maxSteps < 1)
      throw new RangeError(`maxSteps must be ≥ 1, got ${maxSteps}`);
    this.topK = topK;
    this.maxSteps = maxSteps;
    for (const name of ["base", "instruct"] as const) {
      const { contextSize } = options[name].evaluator;
      if (maxPromptTokens + maxSteps > contextSize) {
        throw new RangeError(
          `${name} context holds ${contextSize} tokens, fewer than maxPromptTokens ${maxPromptTokens} + maxSteps ${maxSteps}`,
        );
      }
    }
    this.maxPromptTokens = maxPromptTokens;
    this.sides = options;
  }

  /** Tokenizes a side's prompt; throws {@link PromptTooLongError} before any evaluation. */
  private async prepare(name: NextTokenSideName): Promise<PreparedPrompt> {
    const { evaluator, prompt } = this.sides[name];
    const { tokens, neutralizedSpecialTokens } = await evaluator.tokenizePrompt(prompt);
    const limit = this.maxPromptTokens;
    if (tokens.length > limit) {
      const counted = name === "instruct" ? "inside the chat template" : "as raw text";
      throw new PromptTooLongError(
        tokens.length,
        limit,
        `That prompt is ${tokens.length} tokens long ${counted}; the limit is ${limit} tokens. Try a shorter one.`,
      );
    }
    if (tokens.length === 0) throw new RangeError(`The ${name} prompt has no tokens`);
    const text = typeof prompt === "string" ? prompt : prompt.text;
    return { evaluator, text, tokens, neutralizedSpecialTokens };
  }

  /** The latest state; `undefined` before `start()`. */
  get state(): NextTokenWalkState | undefined {
    return this.runs && this.latest;
  }

  /** Evaluates both prompts and returns step 0. Calling it again starts over. */
  start(): Promise<NextTokenWalkState> {
    return this.queue.run(async () => {
      this.assertNotDisposed();
      if (!this.prompts) {
        const [base, instruct] = await Promise.all([this.prepare("base"), this.prepare("instruct")]);
        this.prompts = { base, instruct };
      }
      const prompts = this.prompts;
      const startSide = async (name: NextTokenSideName): Promise<SideRun> => {
        const prompt = prompts[name];
        const next = await nextTokenDistribution(prompt.evaluator, prompt.tokens, { topK: this.topK });
        return { name, prompt, tokens: prompt.tokens, appendedTokens: [], next };
      };
      const [base, instruct] = await Promise.all([startSide("base"), startSide("instruct")]);
      const runs = { base, instruct };
      this.latest = await this.describe(runs, 0);
      this.runs = runs;
      this.stepCount = 0;
      return this.latest;
    });
  }

  /**
   * Appends one token per model that has not ended and returns the new state. A model that
   * appends an end-of-generation token ends there. Throws {@link NextTokenWalkFinishedError} when
   * the walk is finished.
   */
  step(options: NextTokenStepOptions): Promise<NextTokenWalkState> {
    return this.queue.run(async () => {
      this.assertNotDisposed();
      const runs = this.runs;
      if (runs === undefined) throw new Error("Call start() before step()");
      if (this.isFinished(runs)) throw new NextTokenWalkFinishedError();
      const { temperature, seed = 0 } = options;
      const step = this.stepCount + 1;
      // Each side and step gets its own stream, so a seed does not tie the two models' choices.
      const advance = (run: SideRun) =>
        this.advance(
          run,
          temperature,
          seededRandom(`${seed}:${step}:${run.name}`),
          options.chosen?.side === run.name ? options.chosen.token : undefined,
        );
      const [base, instruct] = await Promise.all([advance(runs.base), advance(runs.instruct)]);
      const advanced = { base, instruct };
      const described = await this.describe(advanced, step);
      // Committed only when both sides succeeded, so a failed step leaves the walk as it was.
      this.runs = advanced;
      this.latest = described;
      this.stepCount = step;
      return described;
    });
  }

  /** Forgets the walk's state; later calls throw. The evaluators stay open. */
  dispose(): Promise<void> {
    return this.queue.run(async () => {
      this.disposed = true;
      this.runs = undefined;
    });
  }

  private async advance(
    run: SideRun,
    temperature: number,
    random: () => number,
    chosen: Token | undefined,
  ): Promise<SideRun> {
    if (run.next === null) {
      if (chosen !== undefined) throw new RangeError(`The ${run.name} model has already ended`);
      const { appended: _, ...unchanged } = run;
      return unchanged;
    }
    const shown =
      chosen === undefined ? undefined : run.next.top.find((candidate) => candidate.token === chosen);
    if (chosen !== undefined && shown === undefined)
      throw new RangeError(`Token ${chosen} is not one of the ${run.name} model's shown candidates`);
    const { token, probability } = shown ?? pickNextToken(run.next.ranked, { temperature, random });
    const { evaluator } = run.prompt;
    const appended = { ...(shown ?? (await evaluator.describe(token, run.tokens))), probability };
    const tokens = [...run.tokens, token];
    const next = evaluator.isEndOfGeneration(token)
      ? null
      : await nextTokenDistribution(evaluator, tokens, { topK: this.topK });
    return { ...run, tokens, appendedTokens: [...run.appendedTokens, appended], appended, next };
  }

  private isFinished(runs: { base: SideRun; instruct: SideRun }, step = this.stepCount): boolean {
    return step >= this.maxSteps || (runs.base.next === null && runs.instruct.next === null);
  }

  private async describe(
    runs: { base: SideRun; instruct: SideRun },
    step: number,
  ): Promise<NextTokenWalkState> {
    const [base, instruct] = await Promise.all([describeSide(runs.base), describeSide(runs.instruct)]);
    return { step, maxSteps: this.maxSteps, finished: this.isFinished(runs, step), base, instruct };
  }

  private assertNotDisposed(): void {
    if (this.disposed) throw new Error("This NextTokenWalk is disposed");
  }
}

async function describeSide(run: SideRun): Promise<NextTokenSideState> {
  const appendedIds = run.appendedTokens.map((candidate) => candidate.token);
  const { prompt } = run;
  const appendedText =
    appendedIds.length === 0 ? "" : await prompt.evaluator.detokenize(appendedIds, prompt.tokens);
  return {
    text: prompt.text + appendedText,
    appendedText,
    promptTokens: prompt.tokens,
    neutralizedSpecialTokens: prompt.neutralizedSpecialTokens,
    appendedTokens: run.appendedTokens,
    ...(run.appended && { appended: run.appended }),
    top: run.next?.top ?? [],
    restProbability: run.next?.restProbability ?? 0,
    ended: run.next === null,
  };
}
