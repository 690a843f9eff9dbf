import type { TerminalStyle } from "./terminalStyle.ts";

const fence = /^```[\w-]*$/;
/** Inline code is shown as written: no emphasis inside backticks. */
const inlineCode = /(`[^`\n]+`)/;
const bold = /\*\*(?=\S)(.+?)(?<=\S)\*\*/g;
/** A lone `*` between word characters (`2*3`) or next to a space (`a * b`) is not emphasis. */
const starItalic = /(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])/g;
const underscoreItalic = /(?<![\w\\])_(?=[^\s_])(.+?)(?<=[^\s_\\])_(?!\w)/g;

function emphasize(text: string, style: TerminalStyle): string {
  return text
    .split(inlineCode)
    .map((piece, index) =>
      index % 2 === 1
        ? piece
        : piece
            .replace(bold, (_, inner: string) => style.bold(inner))
            .replace(starItalic, (_, inner: string) => style.italic(inner))
            .replace(underscoreItalic, (_, inner: string) => style.italic(inner)),
    )
    .join("");
}

/**
 * The Markdown that features share with Discord, for the terminal: `**bold**` becomes bold and
 * `*italic*` / `_italic_` italic (plain text without colour), code fences become thin rules, and
 * text inside code is left as written.
 */
export function renderMarkdown(text: string, style: TerminalStyle): string {
  let inFence = false;
  return text
    .split("\n")
    .map((line) => {
      if (fence.test(line)) {
        inFence = !inFence;
        return style.dim("┈┈┈");
      }
      return inFence ? line : emphasize(line, style);
    })
    .join("\n");
}
