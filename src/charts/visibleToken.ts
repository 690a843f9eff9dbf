/** Options for {@link visibleToken}. */
export interface VisibleTokenOptions {
  /** A special token such as `<|im_end|>`: shown exactly as written. Default `false`. */
  isSpecial?: boolean;
  /**
   * Whether a character can be drawn where the label will appear; characters that cannot are
   * shown as `<U+4F60>`. Default: every character can (a terminal brings its own fonts).
   */
  canRender?: (codePoint: number) => boolean;
}

const SHOWN_AS: Readonly<Record<string, string>> = {
  " ": "␣",
  "\n": "↵",
  "\t": "⇥",
};

/** Characters that draw nothing or reorder text: whitespace other than the space, format and private-use characters. */
const INVISIBLE = /^[\p{Z}\p{Cf}\p{Co}\p{Cn}\p{Cs}]$/u;
const COMBINING = /^\p{M}$/u;

/** A run of a shown token: the token's own characters, or a marker standing for characters that draw nothing. */
export interface TokenPart {
  text: string;
  isMarker: boolean;
}

/**
 * Shows a token so every character in it can be seen: `" the"` → `␣the`, `"\n"` → `↵`,
 * `"\t"` → `⇥`, other control characters as `<0x0D>` (the way llama.cpp names byte tokens),
 * invisible characters as `<U+200B>`, the empty token as `<empty>`. A token that starts with
 * a combining accent gets a dotted circle (`◌́`) to sit on, so the accent is not drawn onto
 * whatever precedes the label.
 */
export function visibleToken(text: string, options: VisibleTokenOptions = {}): string {
  return visibleTokenParts(text, options)
    .map((part) => part.text)
    .join("");
}

/**
 * {@link visibleToken} split into runs, so a chart can draw the markers (`␣`, `↵`, `<0x0D>`…)
 * in a quieter colour than the token's own characters.
 */
export function visibleTokenParts(text: string, options: VisibleTokenOptions = {}): TokenPart[] {
  if (options.isSpecial) return [{ text, isMarker: false }];
  if (text === "") return [{ text: "<empty>", isMarker: true }];
  const canRender = options.canRender ?? (() => true);
  const parts: TokenPart[] = [];
  const add = (shown: string, isMarker: boolean) => {
    const last = parts.at(-1);
    if (last !== undefined && last.isMarker === isMarker) last.text += shown;
    else parts.push({ text: shown, isMarker });
  };
  const first = String.fromCodePoint(text.codePointAt(0) ?? 0);
  for (const char of text) {
    const codePoint = char.codePointAt(0) ?? 0;
    const replacement = SHOWN_AS[char];
    if (replacement !== undefined) add(replacement, true);
    else if (codePoint < 0x20 || (codePoint >= 0x7f && codePoint <= 0x9f))
      add(`<0x${hex(codePoint, 2)}>`, true);
    else if (INVISIBLE.test(char) || !canRender(codePoint)) add(`<U+${hex(codePoint, 4)}>`, true);
    else add(char, false);
  }
  if (COMBINING.test(first) && parts[0]?.text.startsWith(first) && !parts[0].isMarker)
    parts.unshift({ text: "◌", isMarker: true });
  return parts;
}

function hex(value: number, digits: number): string {
  return value.toString(16).toUpperCase().padStart(digits, "0");
}
