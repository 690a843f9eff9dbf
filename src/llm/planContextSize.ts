import type { LlamaModel } from "node-llama-cpp";
import { applyChatTemplate } from "./applyChatTemplate.ts";
import { tokenizePrompt } from "./tokenizePrompt.ts";

/** What one sequence of a model's context must hold for a run at the configured limits. */
export interface ContextNeeds {
  /** Longest member prompt, in tokens (`COMPARE_MAX_PROMPT_TOKENS`). */
  maxPromptTokens: number;
  /** Tokens the model reads beyond the member's text: BOS, and the chat template around it. */
  promptOverheadTokens: number;
  /** Most tokens one run may generate (`COMPARE_MAX_TOKENS_LIMIT`). */
  maxTokens: number;
  /** The model's training context; `0` when the GGUF does not say. */
  trainContextSize: number;
}

/**
 * Tokens kept beyond the measured overhead: a template's text can tokenize a little differently
 * next to a member's words than next to the sample word, and a date in a template changes length.
 */
export const CONTEXT_SLACK_TOKENS = 16;

/**
 * Tokens per sequence: the longest prompt the bot accepts, what the model reads around it, and the
 * most tokens a run may ask for, so a prompt at the limit followed by `max_tokens` at the limit
 * fits; capped at the training context (beyond it a model's output degrades). Every token costs KV
 * cache memory in every sequence (about 22 KB at f16 for a SmolLM2-135M), so the context is sized
 * to what a run can use rather than to a blanket figure.
 */
export function planContextSize(needs: ContextNeeds): number {
  const wanted = needs.maxPromptTokens + needs.promptOverheadTokens + CONTEXT_SLACK_TOKENS + needs.maxTokens;
  return needs.trainContextSize > 0 ? Math.min(wanted, needs.trainContextSize) : wanted;
}

const SAMPLE = "Hello there";

/**
 * Tokens `model` reads beyond a member's text: the BOS it adds to raw text and, with a chat
 * template, whatever the template writes around one user message (the larger of the two, since
 * a three-way run feeds the instruct model both). A template that cannot be rendered counts as raw
 * text: the instruct side fails with its own error then.
 */
export function measurePromptOverhead(model: LlamaModel, chatTemplate: string | null): number {
  const plain = model.tokenize(SAMPLE, false).length;
  const raw = tokenizePrompt(model, SAMPLE).tokens.length - plain;
  if (chatTemplate === null) return raw;
  try {
    const rendered = applyChatTemplate(model, chatTemplate, [{ role: "user", content: SAMPLE }]);
    return Math.max(raw, tokenizePrompt(model, rendered).tokens.length - plain);
  } catch {
    return raw;
  }
}
