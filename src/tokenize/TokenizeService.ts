import { EngineError } from "../engines/EngineError.ts";
import { UserError } from "../errors.ts";
import type { ModelRole } from "../llm/LocalModels.ts";
import type { PairSource } from "../pairs/PairSource.ts";
import type { TokenizedText } from "./tokenizeText.ts";

/** Longest text `/tokenize` takes, in characters (the slash command's `max_length`). */
export const MAX_TOKENIZE_CHARS = 1000;

/** One model's view of a text, for `/tokenize`. */
export interface ModelTokens extends TokenizedText {
  role: ModelRole;
  modelName: string;
}

export interface TokenizeResult {
  text: string;
  models: ModelTokens[];
  /** Both models cut the text into the same token ids (they share a tokenizer). */
  sameTokenizer: boolean;
}

/**
 * `/tokenize`: how each loaded model's tokenizer splits a text, so members can see why "strawberry"
 * is hard to spell letter by letter, why numbers split oddly and why the same text costs different
 * models different amounts.
 */
export class TokenizeService {
  constructor(private readonly pairs: PairSource) {}

  /** How each side of the pair (the default one when `pairId` is absent) cuts `text`. */
  async tokenize(text: string, pairId?: string): Promise<TokenizeResult> {
    if (text.trim() === "") throw new UserError("Give me some text to tokenize.");
    if (text.length > MAX_TOKENIZE_CHARS)
      throw new UserError(
        `The text can be at most ${MAX_TOKENIZE_CHARS} characters; yours has ${text.length}.`,
      );
    const lease = await this.pairs.acquire(pairId);
    try {
      const models = await Promise.all(
        (["base", "instruct"] as const).map(async (role): Promise<ModelTokens> => {
          const side = lease[role];
          try {
            return { role, modelName: side.name, ...(await side.tokenizeText(text)) };
          } catch (error) {
            if (error instanceof EngineError) {
              throw new UserError(`I can't show how the ${role} model cuts text: ${error.message}.`);
            }
            throw error;
          }
        }),
      );
      const [base, instruct] = models;
      const ids = (tokens: ModelTokens | undefined) => tokens?.pieces.map((piece) => piece.id).join(",");
      return { text, models, sameTokenizer: ids(base) === ids(instruct) };
    } finally {
      lease.release();
    }
  }
}
