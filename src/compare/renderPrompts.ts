import type { View, ViewField } from "../ui/view.ts";

const titles: Record<string, string> = {
  base: "Base model: raw text",
  instruct: "Instruct model: inside its chat template",
  "instruct-raw": "Instruct model: raw text, no template",
};

/** Shows whitespace that would otherwise vanish, so the member sees exactly what was fed. */
function visible(text: string): string {
  return text.replace(/```/g, "`\u200b`\u200b`").replace(/\n/g, "↵\n");
}

/**
 * The exact text each model received, special tokens spelled out, newlines marked with ↵. Sent
 * ephemerally to whoever pressed Show prompts.
 */
export function renderPrompts(prompt: string, promptsShown: Record<string, string>): View {
  const fields: ViewField[] = Object.entries(promptsShown).map(([key, text]) => ({
    name: titles[key] ?? key,
    value: `\`\`\`\n${visible(text)}\n\`\`\``,
  }));
  return {
    embeds: [
      {
        title: "What each model received",
        description:
          `Your prompt: ${prompt.length > 200 ? `${prompt.slice(0, 200)}…` : prompt}\n` +
          "The base model continues the raw text. The instruct model reads it wrapped in its chat template: " +
          "the markers such as `<|im_start|>` are special tokens, and the template ends with the opening of an " +
          "assistant turn so the model answers and then writes its end-of-turn token. ↵ marks a newline.",
        fields,
        color: "neutral",
      },
    ],
    ephemeral: true,
  };
}
