import { visibleToken } from "../charts/visibleToken.ts";
import { escapeCodeFence } from "../text/escapeCodeFence.ts";
import { truncate } from "../text/truncate.ts";
import type { View, ViewField } from "../ui/view.ts";
import type { ModelTokens, TokenizeResult } from "./TokenizeService.ts";

/** Room for one model's pieces in an embed field (1024), leaving space for the ids and the fence. */
const PIECES_BUDGET = 700;
const IDS_BUDGET = 250;

function shownPiece(piece: ModelTokens["pieces"][number]): string {
  if (piece.text === null) return "‹byte›";
  return piece.special ? `⟦${piece.text}⟧` : visibleToken(piece.text);
}

function modelField(tokens: ModelTokens): ViewField {
  const pieces = truncate(tokens.pieces.map(shownPiece).join("│"), PIECES_BUDGET);
  const ids = truncate(tokens.pieces.map((piece) => piece.id).join(" "), IDS_BUDGET);
  const bos = tokens.pieces.some((piece) => piece.special) ? " + BOS" : "";
  return {
    name: `${tokens.role === "base" ? "Base" : "Instruct"} · ${tokens.modelName}: ${tokens.textTokens} tokens${bos}`,
    value: `\`\`\`\n${escapeCodeFence(pieces)}\n\`\`\`\nids: ${ids}`,
    inline: true,
  };
}

/** `/tokenize`: the text, then each model's tokens side by side, with ids and counts. */
export function renderTokenize(result: TokenizeResult): View {
  const characters = [...result.text].length;
  const note = result.sameTokenizer
    ? "Both models use the same tokenizer, so the text costs them the same. Models from other families cut it differently."
    : "The two tokenizers cut the text differently, so it costs the models different amounts.";
  return {
    embeds: [
      {
        title: "How the models see your text",
        description: [
          `> ${truncate(result.text, 900).split("\n").join("\n> ")}`,
          "",
          `${characters} characters. Tokens are separated by │; ␣ is a space, ↵ a newline, ⟦…⟧ a control token the tokenizer adds, ‹byte› part of a character split across tokens.`,
          note,
        ].join("\n"),
        fields: result.models.map(modelField),
        color: "brand",
      },
    ],
  };
}
