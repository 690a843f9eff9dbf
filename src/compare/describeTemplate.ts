import type { ModelSide } from "../llm/ModelSide.ts";
import type { ChatMessage } from "../llm/renderChatPrompt.ts";

/** The conversation `/template` shows when the member gives no message of their own. */
export const DEFAULT_TEMPLATE_CONVERSATION: readonly ChatMessage[] = [
  { role: "system", content: "You are a helpful assistant." },
  { role: "user", content: "What is a language model?" },
  { role: "assistant", content: "A program that predicts the next token of a text." },
  { role: "user", content: "Give me an example." },
];

export interface RenderedTemplate {
  modelName: string;
  /** The jinja source from the GGUF's `tokenizer.chat_template`. */
  template: string;
  messages: ChatMessage[];
  /** What the model receives, with the generation prompt and special tokens spelled out (BOS too, when added). */
  rendered: string;
  tokenCount: number;
  /** Text of the control tokens that end an assistant turn (e.g. `<|im_end|>`). */
  endOfTurn: string[];
}

export interface TemplateDescription {
  instruct: RenderedTemplate;
  /** The base model's own template when its GGUF has one (most base models have none). */
  base: { modelName: string; template: RenderedTemplate | null };
}

async function renderFor(
  side: ModelSide,
  template: string,
  messages: ChatMessage[],
): Promise<RenderedTemplate> {
  const prompt = side.renderChat(messages);
  const tokenized = await side.tokenizePrompt(prompt);
  return {
    modelName: side.name,
    template,
    messages,
    rendered: tokenized.shownText,
    tokenCount: tokenized.tokens.length,
    endOfTurn: [...side.endOfTurn],
  };
}

/**
 * `/template`: the instruct model's chat template applied to a short conversation (or to the
 * member's one message), ending with the generation prompt, exactly as the model would receive it,
 * wherever the pair runs.
 */
export async function describeTemplate(
  sides: { base: ModelSide; instruct: ModelSide },
  userMessage?: string,
): Promise<TemplateDescription> {
  const { base, instruct } = sides;
  const messages: ChatMessage[] =
    userMessage === undefined || userMessage.trim() === ""
      ? DEFAULT_TEMPLATE_CONVERSATION.map((message) => ({ ...message }))
      : [{ role: "user", content: userMessage }];
  return {
    instruct: await renderFor(instruct, instruct.chatTemplate ?? "", messages),
    base: {
      modelName: base.name,
      template: base.chatTemplate === null ? null : await renderFor(base, base.chatTemplate, messages),
    },
  };
}
