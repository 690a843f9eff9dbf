import type { LlamaModel } from "node-llama-cpp";
import { type ChatMessage, type RenderedChatPrompt, renderChatPrompt } from "./renderChatPrompt.ts";

export interface ApplyChatTemplateOptions {
  /** Open an assistant turn at the end, so the model answers. Default `true`. */
  addGenerationPrompt?: boolean;
}

/**
 * Renders `messages` with `template` (a model's `tokenizer.chat_template`), filling in that
 * model's own BOS and EOS text: the one way /compare, /nexttoken and /template apply a template.
 * Throws a `ChatTemplateError` when the template cannot be parsed or rendered.
 */
export function applyChatTemplate(
  model: LlamaModel,
  template: string,
  messages: readonly ChatMessage[],
  options: ApplyChatTemplateOptions = {},
): RenderedChatPrompt {
  return renderChatPrompt(template, messages, {
    bosToken: model.tokens.bosString ?? "",
    eosToken: model.tokens.eosString ?? "",
    addGenerationPrompt: options.addGenerationPrompt ?? true,
  });
}
