import type { Token } from "node-llama-cpp";
import type { NextTokenPredictor } from "../nexttoken/NextTokenPredictor.ts";
import type { TokenizedText } from "../tokenize/tokenizeText.ts";
import type { ApplyChatTemplateOptions } from "./applyChatTemplate.ts";
import type { GenerateOptions, GenerationResult } from "./generate.ts";
import type { ChatMessage, RenderedChatPrompt } from "./renderChatPrompt.ts";
import type { PromptTokens } from "./tokenizePrompt.ts";

/** Where one side of a pair runs. */
export type SideLocation =
  /** In this process, through node-llama-cpp; `device` is `CPU` or the GPU backend (`cuda`, `metal`, `vulkan`). */
  | { kind: "in-process"; device: string }
  /** On an inference server. */
  | { kind: "engine"; engineId: string; url: string };

/** Options of one generation on a side, besides the prompt. */
export interface SideGenerateOptions extends Omit<GenerateOptions, "stopTokens"> {
  /** The queue slot the run holds (`JobContext.slot`). */
  slot: number;
  /**
   * Which of the run's streams on this side, from 0: a three-way comparison runs two on the
   * instruct side. An in-process side gives each (slot, stream) its own context sequence.
   */
  stream: number;
}

/**
 * One side (base or instruct) of a pair, ready to use, wherever it runs. Every feature that uses
 * a model (`/compare`, `/template`, Show prompts, blind votes, `/nexttoken`, `/tokenize`, lesson
 * demos) goes through this, so each works the same in-process and on a server. The bot always
 * renders prompts itself with the model's own chat template, so what Show prompts displays is
 * exactly what the model was fed, on either backend.
 */
export interface ModelSide {
  /** `general.name` of the GGUF, or the server's model name. */
  readonly name: string;
  readonly location: SideLocation;
  /** Tokens one generation may hold, prompt included. */
  readonly contextSize: number;
  /** The model's jinja chat template, or `null` (most base models). */
  readonly chatTemplate: string | null;
  /** Text of the control tokens that end an assistant turn (`<|im_end|>`); see `findEndOfTurnTokens`. */
  readonly endOfTurn: readonly string[];
  /** Generations this side can run at once for one pair's runs (a server's slots, the local sequences). */
  readonly parallel: number;
  /** The engine's version (`llama.cpp b1-de3ff81`), or node-llama-cpp's for an in-process side. */
  readonly version: string | undefined;
  /** Why `/nexttoken` cannot use this side, or `undefined` when it can. */
  readonly probabilitiesUnavailable: string | undefined;

  /** Renders `messages` with {@link chatTemplate}; throws a `ChatTemplateError` when it cannot. */
  renderChat(messages: readonly ChatMessage[], options?: ApplyChatTemplateOptions): RenderedChatPrompt;
  /** What the model is fed for a prompt, as `tokenizePrompt` defines it (BOS once, member text plain). */
  tokenizePrompt(prompt: string | RenderedChatPrompt): Promise<PromptTokens>;
  /** Tokens the text costs as plain text, without BOS. */
  countTokens(text: string): Promise<number>;
  /** How the tokenizer cuts a text, for `/tokenize`. */
  tokenizeText(text: string): Promise<TokenizedText>;
  /** Generates a continuation of `prompt` (from {@link tokenizePrompt}), streaming text through `onText`. */
  generate(prompt: PromptTokens, options: SideGenerateOptions): Promise<GenerationResult>;
  /** Expected length of a generation, in ms, for queue wait estimates. */
  estimateMs(promptTokens: number, maxTokens: number): number;
  /** Decoding speed of recent generations, tokens per second; `undefined` before the first. */
  readonly recentTokensPerSecond: number | undefined;
  /** Next-token probabilities of this side, for `/nexttoken`; throws when {@link probabilitiesUnavailable}. */
  nextTokens(): Promise<NextTokenPredictor>;
  /** Frees what the side holds (contexts, model, connections). Generations must be stopped first. */
  dispose(): Promise<void>;
}

export type { Token };
