import { NextTokenEvaluator } from "../nexttoken/NextTokenEvaluator.ts";
import type { NextTokenPredictor } from "../nexttoken/NextTokenPredictor.ts";
import { type TokenizedText, tokenizeText } from "../tokenize/tokenizeText.ts";
import { type ApplyChatTemplateOptions, applyChatTemplate } from "./applyChatTemplate.ts";
import { describeTemplateTokens } from "./describeTemplateTokens.ts";
import { GenerationSpeed } from "./GenerationSpeed.ts";
import { type GenerationResult, generate } from "./generate.ts";
import type { LoadedModel } from "./LoadedModel.ts";
import type { ModelSide, SideGenerateOptions, SideLocation } from "./ModelSide.ts";
import type { ChatMessage, RenderedChatPrompt } from "./renderChatPrompt.ts";
import { type PromptTokens, tokenizePrompt } from "./tokenizePrompt.ts";

export interface LocalSideOptions {
  /** `CPU` or `GPU (cuda)`…, from `LocalModels.device`. */
  device: string;
  /** llama.cpp release, from `LocalModels.version`. */
  version?: string;
  /** Streams one run uses on this side: 1 for the base model, 2 for the instruct model (three-way). */
  streamsPerSlot: number;
  /** Generates one stream. Default `generate`; tests inject failures through it. */
  generate?: typeof generate;
}

/**
 * A model node-llama-cpp loaded in this process (see `LocalModels`), as one side of a pair. Each
 * (slot, stream) of a run generates on its own context sequence of the model.
 */
export class LocalSide implements ModelSide {
  readonly location: SideLocation;
  readonly endOfTurn: readonly string[];
  readonly probabilitiesUnavailable = undefined;
  private readonly speed: GenerationSpeed;
  private readonly generateStream: typeof generate;
  private predictor: NextTokenEvaluator | undefined;

  constructor(
    readonly loaded: LoadedModel,
    private readonly options: LocalSideOptions,
  ) {
    this.location = { kind: "in-process", device: options.device };
    this.endOfTurn = describeTemplateTokens(loaded).endOfTurn;
    this.speed = new GenerationSpeed({ modelBytes: loaded.model.size, threads: loaded.context.idealThreads });
    this.generateStream = options.generate ?? generate;
  }

  get name(): string {
    return this.loaded.name;
  }

  get contextSize(): number {
    return this.loaded.contextSize;
  }

  get chatTemplate(): string | null {
    return this.loaded.chatTemplate;
  }

  get parallel(): number {
    return Math.max(1, Math.floor(this.loaded.sequences.length / this.options.streamsPerSlot));
  }

  get version(): string | undefined {
    return this.options.version;
  }

  get recentTokensPerSecond(): number | undefined {
    return this.speed.recentTokensPerSecond;
  }

  renderChat(messages: readonly ChatMessage[], options?: ApplyChatTemplateOptions): RenderedChatPrompt {
    return applyChatTemplate(this.loaded.model, this.loaded.chatTemplate ?? "", messages, options);
  }

  async tokenizePrompt(prompt: string | RenderedChatPrompt): Promise<PromptTokens> {
    return tokenizePrompt(this.loaded.model, prompt);
  }

  async countTokens(text: string): Promise<number> {
    return this.loaded.model.tokenize(text, false).length;
  }

  async tokenizeText(text: string): Promise<TokenizedText> {
    return tokenizeText(this.loaded.model, text);
  }

  async generate(prompt: PromptTokens, options: SideGenerateOptions): Promise<GenerationResult> {
    const { slot, stream, ...rest } = options;
    const index = slot * this.options.streamsPerSlot + stream;
    const sequence = this.loaded.sequences[index];
    if (!sequence) {
      throw new Error(`${this.name} has no sequence ${index}; is the queue wider than the models?`);
    }
    const result = await this.generateStream(sequence, prompt.tokens, {
      ...rest,
      stopTokens: this.loaded.endOfTurnTokens,
    });
    this.speed.record(result.stats);
    return result;
  }

  estimateMs(promptTokens: number, maxTokens: number): number {
    return this.speed.estimateMs(promptTokens, maxTokens);
  }

  /** Evaluates on the sequence the model keeps for `/nexttoken` beside its generations (one evaluator, shared by walks). */
  async nextTokens(): Promise<NextTokenPredictor> {
    this.predictor ??= new NextTokenEvaluator(this.loaded.nextTokenSequence);
    return this.predictor;
  }

  /** Empties the `/nexttoken` sequence; the model and its context belong to its `LocalModels`. */
  async dispose(): Promise<void> {
    const evaluator = this.predictor;
    this.predictor = undefined;
    await evaluator?.dispose();
  }
}
