import type { LoadedModel } from "./LoadedModel.ts";

export interface TemplateTokens {
  /**
   * Text of the control tokens that end an assistant turn (`<|im_end|>`), found the way /template
   * finds them (`LoadedModel.endOfTurnTokens`). Empty when the template's markers are not tokens
   * of this vocabulary: the model then reads them as plain characters and never stops by itself.
   */
  endOfTurn: string[];
}

/** What a model's vocabulary makes of its chat template's markers, for Show prompts and /template. */
export function describeTemplateTokens(loaded: LoadedModel): TemplateTokens {
  return {
    endOfTurn: [...loaded.endOfTurnTokens].map((token) => loaded.model.detokenize([token], true)),
  };
}
