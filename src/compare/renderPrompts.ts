import type { TemplateTokens } from "../llm/describeTemplateTokens.ts";
import { escapeCodeFence } from "../text/escapeCodeFence.ts";
import { truncate } from "../text/truncate.ts";
import type { View, ViewField } from "../ui/view.ts";

const titles: Record<string, string> = {
  base: "Base model: raw text",
  instruct: "Instruct model: inside its chat template",
  "instruct-raw": "Instruct model: raw text, no template",
};

/** Shows whitespace that would otherwise vanish, so the member sees exactly what was fed. */
function visible(text: string): string {
  return escapeCodeFence(text).replace(/\n/g, "↵\n");
}

/** What the template's markers are for the loaded instruct model, as `/template` tells it. */
function templateSentence(tokens: TemplateTokens | undefined): string {
  if (tokens === undefined) {
    return "The instruct model reads it wrapped in its chat template, which ends with the opening of an assistant turn so the model answers.";
  }
  if (tokens.endOfTurn.length === 0) {
    return (
      "The instruct model reads it wrapped in its chat template, but its vocabulary has no tokens for the " +
      "template's markers: it reads them as plain characters, so nothing marks where its turn ends and it will " +
      "not stop by itself."
    );
  }
  const endOfTurn = tokens.endOfTurn.map((text) => `\`${text}\``).join(", ");
  return (
    "The instruct model reads it wrapped in its chat template, whose markers are special tokens of its " +
    "vocabulary; the template ends with the opening of an assistant turn so the model answers and then " +
    `writes its end-of-turn token (${endOfTurn}).`
  );
}

/**
 * The exact text each model received, special tokens spelled out, newlines marked with ↵. Sent
 * ephemerally to whoever pressed Show prompts. `templateTokens` describes the loaded instruct
 * model's vocabulary (`describeTemplateTokens`); without it nothing is claimed about the markers.
 */
export function renderPrompts(
  prompt: string,
  promptsShown: Record<string, string>,
  templateTokens?: TemplateTokens,
): View {
  const fields: ViewField[] = Object.entries(promptsShown).map(([key, text]) => ({
    name: titles[key] ?? key,
    value: `\`\`\`\n${visible(text)}\n\`\`\``,
  }));
  return {
    embeds: [
      {
        title: "What each model received",
        description:
          `Your prompt: ${truncate(prompt, 201)}\n` +
          `The base model continues the raw text. ${templateSentence(templateTokens)} ↵ marks a newline.`,
        fields,
        color: "neutral",
      },
    ],
    ephemeral: true,
  };
}
