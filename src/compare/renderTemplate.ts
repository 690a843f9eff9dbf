import { escapeCodeFence } from "../text/escapeCodeFence.ts";
import type { View } from "../ui/view.ts";
import type { TemplateDescription } from "./describeTemplate.ts";

function block(text: string): string {
  return `\`\`\`\n${escapeCodeFence(text).replace(/\n/g, "↵\n")}\n\`\`\``;
}

/** `/template`: the conversation, what the instruct model really reads, and the base model's lack of a template. */
export function renderTemplate(description: TemplateDescription): View {
  const { instruct, base } = description;
  const conversation = instruct.messages
    .map((message) => `**${message.role}**: ${message.content}`)
    .join("\n");
  const stopsAt =
    instruct.endOfTurn.length > 0
      ? `then an end-of-turn token (${instruct.endOfTurn.map((t) => `\`${t}\``).join(", ")}), where generation stops`
      : "and should then end its turn, but this model's vocabulary has no end-of-turn token for the template's marker, so it will not stop by itself";
  return {
    embeds: [
      {
        title: `Chat template of ${instruct.modelName}`,
        description: [
          "**The conversation**",
          conversation,
          "",
          `**What the model reads** (${instruct.tokenCount} tokens; ↵ marks a newline)`,
          block(instruct.rendered),
          `The template ends with an open assistant turn (the generation prompt), so the model writes the reply ${stopsAt}.`,
        ].join("\n"),
        color: "instruct",
      },
      {
        title: `Base model: ${base.modelName}`,
        description: base.template
          ? `This GGUF does carry a chat template, but a base model was never trained to follow it:\n${block(base.template.rendered)}`
          : "No chat template at all. A base model reads your text exactly as typed and continues it like a document: it has no idea of roles or turns, and nothing tells it when to stop.",
        color: "base",
      },
    ],
  };
}
