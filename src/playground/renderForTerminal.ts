import { fitView } from "../ui/fitView.ts";
import { type PartRenderer, renderViewText } from "../ui/richText.ts";
import type { View, ViewButton } from "../ui/view.ts";

export interface TerminalStyle {
  bold(text: string): string;
  dim(text: string): string;
}

/** Bold and dim on an interactive terminal, unless colours are turned off (`NO_COLOR`). */
export function terminalStyle(stream: NodeJS.WritableStream, allowColor = true): TerminalStyle {
  const color = allowColor && "isTTY" in stream && stream.isTTY === true;
  return {
    bold: (text) => (color ? `\x1b[1m${text}\x1b[22m` : text),
    dim: (text) => (color ? `\x1b[2m${text}\x1b[22m` : text),
  };
}

/** Neutral parts for a terminal: moments relative to `now` ("in 42 s"), members by name. */
export function terminalPart(now: Date): PartRenderer {
  return (part) => {
    if (part.kind === "member") return part.name;
    const seconds = Math.round((part.at.getTime() - now.getTime()) / 1000);
    const span =
      Math.abs(seconds) < 120 ? `${Math.abs(seconds)} s` : `${Math.round(Math.abs(seconds) / 60)} min`;
    return seconds >= 0 ? `in ${span}` : `${span} ago`;
  };
}

/** Discord mentions shown as readable names instead of raw ids. */
function plain(text: string): string {
  return text.replace(/<@!?(\d+|[\w-]+)>/g, "@$1");
}

/**
 * Markdown bold becomes terminal bold and code fences become thin rules; everything else stays as
 * written. Discord timestamps (`<t:…:R>`) become local times.
 */
function markdown(text: string, style: TerminalStyle): string {
  return plain(text)
    .replace(/<t:(\d+)(?::\w)?>/g, (_, seconds: string) =>
      new Date(Number(seconds) * 1000).toLocaleTimeString(),
    )
    .replace(/\*\*(.+?)\*\*/g, (_, inner: string) => style.bold(inner))
    .replace(/^```\w*$/gm, style.dim("┈┈┈"));
}

/**
 * Renders a View as terminal text: embeds as boxes, buttons as numbered choices starting at
 * `firstButtonNumber`. Returns the text and the buttons in the order they were numbered.
 */
export function renderForTerminal(
  view: View,
  style: TerminalStyle,
  firstButtonNumber = 1,
): { text: string; buttons: ViewButton[] } {
  const fitted = fitView(renderViewText(view, terminalPart(new Date())));
  const lines: string[] = [];
  if (fitted.ephemeral) lines.push(style.dim("(only you can see this)"));
  if (fitted.content) lines.push(plain(fitted.content));
  for (const embed of fitted.embeds ?? []) {
    lines.push(`┌─ ${style.bold(plain(embed.title ?? ""))}`.trimEnd());
    const body: string[] = [];
    if (embed.description) body.push(...markdown(embed.description, style).split("\n"));
    let previousInline = false;
    for (const field of embed.fields ?? []) {
      const short = field.inline && !field.value.includes("\n");
      if (body.length > 0 && !(short && previousInline)) body.push("");
      if (short) {
        body.push(`${style.bold(plain(field.name))}: ${markdown(field.value, style)}`);
      } else {
        body.push(style.bold(plain(field.name)));
        body.push(...markdown(field.value, style).split("\n"));
      }
      previousInline = short === true;
    }
    if (embed.imageFile) body.push(style.dim(`[image: ${embed.imageFile}]`));
    for (const line of body) lines.push(`│ ${line}`.trimEnd());
    lines.push(embed.footer ? `└─ ${style.dim(plain(embed.footer))}` : "└─");
  }
  const buttons: ViewButton[] = [];
  for (const row of fitted.buttons ?? []) {
    const labels = row.map((button) => {
      if (button.disabled) return style.dim(`[-] ${button.label}`);
      buttons.push(button);
      return `[${firstButtonNumber + buttons.length - 1}] ${button.label}`;
    });
    lines.push(labels.join("  "));
  }
  return { text: lines.join("\n"), buttons };
}
