import type { NextTokenSideName } from "../../src/nexttoken/NextTokenSideName.ts";
import { plainText } from "../../src/ui/richText.ts";
import type { View } from "../../src/ui/view.ts";

/** One line of the text bars: the token as a member reads it (quotes removed) and its percentage. */
export interface ListedToken {
  label: string;
  percent: string;
}

const SECTION_TITLES: Record<NextTokenSideName, string> = {
  base: "**Base model**",
  instruct: "**Instruct model**",
};

/** The `/nexttoken` embed's description; fails when the view has none. */
export function descriptionOf(view: View): string {
  const description = view.embeds?.[0]?.description;
  if (description === undefined) throw new Error(`no embed description in ${JSON.stringify(view)}`);
  return plainText(description);
}

/** One model's part of the description (an embed text or a Discord message's text). */
export function sectionOf(text: string, side: NextTokenSideName): string {
  const start = text.indexOf(SECTION_TITLES[side]);
  if (start < 0) throw new Error(`no ${side} section in:\n${text}`);
  const end = side === "base" ? text.indexOf(SECTION_TITLES.instruct, start) : -1;
  return text.slice(start, end < 0 ? undefined : end);
}

function codeBlockAfter(section: string, heading: string): string | undefined {
  const at = section.indexOf(`${heading}\n\`\`\`\n`);
  if (at < 0) return undefined;
  const from = at + heading.length + 5;
  return section.slice(from, section.indexOf("\n```", from));
}

/** The tokens listed as text bars for `side`, most likely first. */
export function listedTokens(text: string, side: NextTokenSideName): ListedToken[] {
  const bars = codeBlockAfter(sectionOf(text, side), "Next token:");
  if (bars === undefined) return [];
  return bars.split("\n").map((line) => {
    const match = /^('(.*)'|(\S+))\s+[█▏▎▍▌▋▊▉]*\s+(<?[\d.]+%)$/u.exec(line);
    if (!match) throw new Error(`not a text bar: ${JSON.stringify(line)}`);
    // The zero-width spaces that keep a backtick token from closing the block are not seen.
    return { label: (match[2] ?? match[3] ?? "").replaceAll("\u200b", ""), percent: match[4] ?? "" };
  });
}

const ALT_TEXT_TITLES: Record<NextTokenSideName, string> = {
  base: "Base model (raw text)",
  instruct: "Instruct model (chat template)",
};

/** The tokens the alt text lists for one panel, in order (not the token the panel says it appended). */
export function altTextTokens(altText: string, side: NextTokenSideName): ListedToken[] {
  const start = altText.indexOf(ALT_TEXT_TITLES[side]);
  if (start < 0) throw new Error(`no ${side} panel in the alt text: ${altText}`);
  const end = side === "base" ? altText.indexOf(ALT_TEXT_TITLES.instruct) : altText.indexOf(" ␣ marks");
  const panel = altText.slice(start, end);
  // Candidates follow the first ": "; before it the panel may name what it appended (written with ␣ for spaces).
  const candidates = panel.slice(panel.indexOf(": ") + 2);
  return [...candidates.matchAll(/“(.*?)” (<?[\d.]+%)/gu)].map((match) => ({
    label: match[1] ?? "",
    percent: match[2] ?? "",
  }));
}

/** The base model's text so far, or the instruct model's reply so far (`""` before the first step). */
export function textSoFar(text: string, side: NextTokenSideName): string {
  const heading = side === "base" ? "Text so far:" : "Reply so far:";
  return (codeBlockAfter(sectionOf(text, side), heading) ?? "").replace(/↵\n/g, "\n");
}

/** The walk id inside a `/nexttoken` button id (`nexttoken:<action>:<walkId>`). */
export function walkIdOf(view: View): string {
  const id = view.buttons?.flat()[0]?.id ?? "";
  return id.split(":")[2] ?? "";
}
