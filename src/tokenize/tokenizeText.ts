import type { LlamaModel, Token } from "node-llama-cpp";

/** One token of a text as a tokenizer cut it. */
export interface TokenPiece {
  id: number;
  /** The token's own text; `null` when it is a piece of a multi-byte character (a byte token). */
  text: string | null;
  /** A control token such as BOS, which the tokenizer adds and text never contains. */
  special: boolean;
}

/** How one model's tokenizer splits a text. */
export interface TokenizedText {
  pieces: TokenPiece[];
  /** Tokens the text itself costs (without the BOS the model adds). */
  textTokens: number;
}

const REPLACEMENT = "\uFFFD";

/**
 * Splits `text` the way `model` reads it as plain text (as a base model is fed a prompt): typed
 * `<|im_end|>` is just characters, and the BOS token goes in front when the model asks for one.
 * Each token is turned back into its own text; a token that holds only part of a character (UTF-8
 * split across byte tokens, common for emoji and CJK) has no text of its own.
 */
export function tokenizeText(model: LlamaModel, text: string): TokenizedText {
  const tokens = model.tokenize(text, false);
  const bos = model.tokens.bos;
  const withBos: Token[] =
    bos !== null && model.tokens.shouldPrependBosToken && tokens[0] !== bos ? [bos, ...tokens] : tokens;
  const pieces = withBos.map((token, index): TokenPiece => {
    const special = token === bos;
    // With the tokens before it as context, so a word-start token keeps its leading space.
    const own = model.detokenize([token], special, withBos.slice(Math.max(0, index - 4), index));
    return {
      id: Number(token),
      // A byte token may come out as U+FFFD or as nothing at all: either way, no text of its own.
      text: (own.includes(REPLACEMENT) && !text.includes(REPLACEMENT)) || own === "" ? null : own,
      special,
    };
  });
  return { pieces, textTokens: tokens.length };
}
