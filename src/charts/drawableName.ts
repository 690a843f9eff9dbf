import { canRender } from "./fonts.ts";

const ZERO_WIDTH_JOINER = "\u200D";

/**
 * A member's name as a card draws it: emoji and other scripts are drawn in the bundled fallback
 * fonts; a character no bundled font has is shown as `<U+1FAE8>`, so the name is never lost.
 * Control and format characters (bidi overrides and the like) are removed, except the zero-width
 * joiner that holds emoji sequences together; runs of whitespace become one space. A name that
 * is left empty reads `fallback`.
 */
export function drawableName(name: string, fallback = "Member"): string {
  const shown = [...name]
    .filter((char) => char === ZERO_WIDTH_JOINER || !/\p{C}/u.test(char) || /\s/u.test(char))
    .map((char) => {
      if (/\s/u.test(char)) return " ";
      const codePoint = char.codePointAt(0) ?? 0;
      return canRender(codePoint) ? char : `<U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}>`;
    });
  const cleaned = shown.join("").replace(/ +/g, " ").trim();
  return cleaned === "" ? fallback : cleaned;
}
