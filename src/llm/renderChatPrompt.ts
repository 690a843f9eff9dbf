import { Template } from "@huggingface/jinja";
import { ChatTemplateError } from "./errors/ChatTemplateError.ts";

export interface ChatMessage {
  role: "system" | "user" | "assistant";
  content: string;
}

export interface RenderChatPromptOptions {
  /** Text of the model's BOS token, for templates that write `{{ bos_token }}`. Default `""`. */
  bosToken?: string;
  /** Text of the model's EOS token, for templates that write `{{ eos_token }}`. Default `""`. */
  eosToken?: string;
  /** Open an assistant turn at the end, so the model answers. Default `true`. */
  addGenerationPrompt?: boolean;
}

/** One stretch of the rendered prompt: written by the template, or copied from a message. */
export interface PromptPart {
  source: "template" | "content";
  text: string;
}

export interface RenderedChatPrompt {
  /** The whole prompt, exactly as the template renders it. */
  text: string;
  /**
   * The same text cut where message contents begin and end, so a tokenizer can honour special
   * tokens written by the template but not ones a member typed. `null` when the template changes
   * contents in a way that hides where they are (then nothing can be told apart).
   */
  parts: PromptPart[] | null;
}

// Private-use characters: they survive `trim`, and no template or tokenizer gives them meaning.
const SENTINEL_OPEN = "\uE000";
const SENTINEL_CLOSE = "\uE001";
const SENTINEL_PATTERN = /\uE000(\d+)\uE001/g;

const templateCache = new Map<string, Template>();

function compile(template: string): Template {
  let compiled = templateCache.get(template);
  if (!compiled) {
    try {
      compiled = new Template(template);
    } catch (error) {
      throw new ChatTemplateError(`The chat template could not be parsed: ${(error as Error).message}`);
    }
    templateCache.set(template, compiled);
  }
  return compiled;
}

function render(
  compiled: Template,
  messages: ChatMessage[],
  options: Required<RenderChatPromptOptions>,
): string {
  try {
    return compiled.render({
      messages,
      bos_token: options.bosToken,
      eos_token: options.eosToken,
      add_generation_prompt: options.addGenerationPrompt,
    });
  } catch (error) {
    throw new ChatTemplateError(`The chat template could not be rendered: ${(error as Error).message}`);
  }
}

/**
 * Renders `messages` with a model's own jinja chat template (from its GGUF metadata), the way
 * llama.cpp and transformers do. Message contents are trimmed first: outer whitespace of a Discord
 * prompt means nothing, and several templates trim anyway.
 *
 * The template is rendered a second time with a placeholder in place of each content; that tells
 * which stretches of the text came from the members ({@link RenderedChatPrompt.parts}).
 */
export function renderChatPrompt(
  template: string,
  messages: readonly ChatMessage[],
  options: RenderChatPromptOptions = {},
): RenderedChatPrompt {
  const resolved: Required<RenderChatPromptOptions> = {
    bosToken: options.bosToken ?? "",
    eosToken: options.eosToken ?? "",
    addGenerationPrompt: options.addGenerationPrompt ?? true,
  };
  const compiled = compile(template);
  const trimmed = messages.map((message) => ({ role: message.role, content: message.content.trim() }));
  const text = render(compiled, trimmed, resolved);

  const placeholders = trimmed.map((message, index) => ({
    role: message.role,
    content: `${SENTINEL_OPEN}${index}${SENTINEL_CLOSE}`,
  }));
  const skeleton = render(compiled, placeholders, resolved);
  const parts: PromptPart[] = [];
  let cursor = 0;
  for (const match of skeleton.matchAll(SENTINEL_PATTERN)) {
    if (match.index > cursor) parts.push({ source: "template", text: skeleton.slice(cursor, match.index) });
    const content = trimmed[Number(match[1])]?.content ?? "";
    if (content !== "") parts.push({ source: "content", text: content });
    cursor = match.index + match[0].length;
  }
  if (cursor < skeleton.length) parts.push({ source: "template", text: skeleton.slice(cursor) });

  const reassembled = parts.map((part) => part.text).join("");
  return { text, parts: reassembled === text ? parts : null };
}
