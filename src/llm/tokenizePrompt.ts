import type { LlamaModel, Token } from "node-llama-cpp";
import type { PromptPart, RenderedChatPrompt } from "./renderChatPrompt.ts";

export interface PromptTokens {
  /** What the model is fed, BOS included when the model wants one. */
  tokens: Token[];
  /** The text the model receives, special tokens spelled out (BOS too, when it is added). */
  shownText: string;
  /** Whether a BOS token was put in front (the text did not already start with one). */
  bosAdded: boolean;
  /**
   * Special-token strings (such as `<|im_end|>`) that a member typed and that were fed as plain
   * text rather than as control tokens. Empty when there were none.
   */
  neutralizedSpecialTokens: string[];
}

interface SpecialOccurrence {
  token: Token;
  text: string;
}

/** Control and unknown tokens: the ones llama.cpp only recognises in text when asked to. */
function specialTokensIn(model: LlamaModel, text: string): SpecialOccurrence[] {
  const found: SpecialOccurrence[] = [];
  for (const token of model.tokenize(text, true)) {
    const attributes = model.getTokenAttributes(token);
    if (attributes.control || attributes.unknown)
      found.push({ token, text: model.detokenize([token], true) });
  }
  return found;
}

/**
 * Tokenizes like llama.cpp does with special tokens on (cut the text at special tokens, tokenize
 * the stretches between), except that only template text is searched for special tokens.
 */
function tokenizeKeepingContentPlain(model: LlamaModel, parts: readonly PromptPart[]): Token[] {
  const tokens: Token[] = [];
  let plain = "";
  const flush = () => {
    if (plain !== "") tokens.push(...model.tokenize(plain, false));
    plain = "";
  };
  for (const part of parts) {
    if (part.source === "content") {
      plain += part.text;
      continue;
    }
    let cursor = 0;
    for (const special of specialTokensIn(model, part.text)) {
      const at = part.text.indexOf(special.text, cursor);
      if (at < 0) continue;
      plain += part.text.slice(cursor, at);
      flush();
      tokens.push(special.token);
      cursor = at + special.text.length;
    }
    plain += part.text.slice(cursor);
  }
  flush();
  return tokens;
}

/**
 * Turns a prompt into the tokens a model is fed.
 *
 * - Raw text (a string) is tokenized as plain text: `<|im_end|>` typed by a member is just
 *   characters, as it would be in a base model's training data.
 * - A rendered chat prompt has the control tokens its template wrote (`<|im_start|>`…) recognised.
 *   Member-written contents are not searched for special tokens: otherwise typing `<|im_end|>`
 *   would close the turn early and let a member forge a system or assistant turn. When contents
 *   hold none, the result is exactly llama.cpp's tokenization of the whole text. (If the template
 *   rewrote contents so that they cannot be located, the whole text is tokenized with special
 *   tokens on, as llama.cpp would, and nothing is reported as neutralized.)
 *
 * A BOS token is put in front when the model asks for one and the template did not write it.
 */
export function tokenizePrompt(model: LlamaModel, prompt: string | RenderedChatPrompt): PromptTokens {
  let text: string;
  let tokens: Token[];
  let neutralized: string[] = [];
  if (typeof prompt === "string") {
    text = prompt;
    tokens = model.tokenize(text, false);
    neutralized = specialTokensIn(model, text).map((special) => special.text);
  } else {
    text = prompt.text;
    const contents = prompt.parts?.filter((part) => part.source === "content") ?? [];
    neutralized = contents.flatMap((part) =>
      specialTokensIn(model, part.text).map((special) => special.text),
    );
    tokens =
      prompt.parts !== null && neutralized.length > 0
        ? tokenizeKeepingContentPlain(model, prompt.parts)
        : model.tokenize(text, true);
    if (prompt.parts === null) neutralized = [];
  }

  const bos = model.tokens.bos;
  const bosAdded = bos !== null && model.tokens.shouldPrependBosToken && tokens[0] !== bos;
  if (bosAdded) tokens.unshift(bos);
  return {
    tokens,
    shownText: bosAdded ? `${model.tokens.bosString ?? ""}${text}` : text,
    bosAdded,
    neutralizedSpecialTokens: neutralized,
  };
}
