import type { LlamaModel, Token } from "node-llama-cpp";
import { applyChatTemplate } from "./applyChatTemplate.ts";
import type { RenderedChatPrompt } from "./renderChatPrompt.ts";

/**
 * The control tokens a chat template writes right after an assistant message (`<|im_end|>` for
 * ChatML, `<|eot_id|>` for Llama 3…). A model trained on the template emits them to end its turn;
 * llama.cpp does not always list them as end-of-generation tokens, so generation stops on them too.
 * Empty when the template's end-of-turn text is not a control token of this vocabulary.
 */
export function findEndOfTurnTokens(model: LlamaModel, template: string): Set<Token> {
  const found = new Set<Token>();
  let parts: RenderedChatPrompt["parts"];
  try {
    parts = applyChatTemplate(
      model,
      template,
      [
        { role: "user", content: "Hello" },
        { role: "assistant", content: "Hi" },
      ],
      { addGenerationPrompt: false },
    ).parts;
  } catch {
    return found;
  }
  const assistantIndex = parts?.findLastIndex((part) => part.source === "content") ?? -1;
  const after = parts?.[assistantIndex + 1];
  if (assistantIndex < 0 || after?.source !== "template") return found;
  for (const token of model.tokenize(after.text, true)) {
    if (model.getTokenAttributes(token).control) found.add(token);
  }
  return found;
}
