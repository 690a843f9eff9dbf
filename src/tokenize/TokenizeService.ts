import { UserError } from "../errors.ts";
import { describeModelProblem } from "../llm/describeModelProblem.ts";
import { ModelNotReadyError } from "../llm/errors/ModelNotReadyError.ts";
import type { LocalModels, ModelRole } from "../llm/LocalModels.ts";
import { type TokenizedText, tokenizeText } from "./tokenizeText.ts";

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
  constructor(private readonly models: LocalModels) {}

  async tokenize(text: string): Promise<TokenizeResult> {
    if (text.trim() === "") throw new UserError("Give me some text to tokenize.");
    if (text.length > MAX_TOKENIZE_CHARS)
      throw new UserError(
        `The text can be at most ${MAX_TOKENIZE_CHARS} characters; yours has ${text.length}.`,
      );
    if (!this.models.isSettled) await this.models.waitUntilSettled(30_000);
    const models = (["base", "instruct"] as const).map((role): ModelTokens => {
      try {
        const loaded = this.models.get(role);
        return { role, modelName: loaded.name, ...tokenizeText(loaded.model, text) };
      } catch (error) {
        if (error instanceof ModelNotReadyError) throw new UserError(describeModelProblem(error));
        throw error;
      }
    });
    const [base, instruct] = models;
    const ids = (tokens: ModelTokens | undefined) => tokens?.pieces.map((piece) => piece.id).join(",");
    return { text, models, sameTokenizer: ids(base) === ids(instruct) };
  }
}
