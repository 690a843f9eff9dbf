import { fitView } from "../ui/fitView.ts";
import { renderViewText } from "../ui/richText.ts";
import type { View, ViewButton } from "../ui/view.ts";
import { formatMoment } from "./formatMoment.ts";
import { menuOptionRows } from "./menuOptionButtons.ts";
import { renderRichText } from "./renderRichText.ts";
import type { TerminalStyle } from "./terminalStyle.ts";

export interface TerminalRenderOptions {
  style: TerminalStyle;
  /** The moment "now" for relative times in the text. */
  now: Date;
  /**
   * Numbers the (fitted) buttons: button id → number. Default: 1, 2, 3… in reading order.
   * The playground passes {@link ButtonNumbers} so numbers stay put across updates.
   */
  numberButtons?: (rows: readonly (readonly ViewButton[])[]) => ReadonlyMap<string, number>;
  /**
   * Who alone sees this message, by name: `you` reads "(only you can see this)", another name
   * "(only bob sees this)". Default: the person at the keyboard when the view is ephemeral,
   * nobody (a public message) otherwise.
   */
  privateTo?: string;
  /**
   * The name to show for a member part, by id (members a feature knows only by id, such as the
   * leaderboard's). Default, or when it returns undefined: the part's own name.
   */
  memberName?: (id: string) => string | undefined;
}

/** A button as shown on the terminal, with the number that presses it. */
export interface NumberedButton {
  number: number;
  button: ViewButton;
}

function numberInOrder(rows: readonly (readonly ViewButton[])[]): Map<string, number> {
  return new Map(rows.flat().map((button, index) => [button.id, index + 1]));
}

/**
 * Renders a View as terminal text: embeds as boxes, rich text through {@link renderRichText},
 * buttons as numbered choices (a disabled one as `[-]`). Returns the text and every button with
 * its number, disabled ones included.
 */
export function renderForTerminal(
  view: View,
  options: TerminalRenderOptions,
): { text: string; buttons: NumberedButton[] } {
  const { style } = options;
  const rich = (text: Parameters<typeof renderRichText>[0]) =>
    renderRichText(text, { style, now: options.now });
  // Parts become terminal text first (so Discord's length limits apply to what is shown), then
  // Markdown is styled.
  const fitted = fitView(
    renderViewText(view, (part) =>
      part.kind === "member"
        ? (options.memberName?.(part.id) ?? part.name)
        : formatMoment(part.at, options.now),
    ),
  );
  const lines: string[] = [];
  const privateTo = options.privateTo ?? (fitted.ephemeral ? "you" : undefined);
  if (privateTo === "you") lines.push(style.dim("(only you can see this)"));
  else if (privateTo !== undefined) lines.push(style.dim(`(only ${privateTo} sees this)`));
  if (fitted.content) lines.push(rich(fitted.content));
  for (const embed of fitted.embeds ?? []) {
    lines.push(`┌─ ${style.bold(embed.title ?? "")}`.trimEnd());
    const body: string[] = [];
    if (embed.description) body.push(...rich(embed.description).split("\n"));
    let previousInline = false;
    for (const field of embed.fields ?? []) {
      const value = rich(field.value);
      const short = field.inline === true && !value.includes("\n");
      if (body.length > 0 && !(short && previousInline)) body.push("");
      if (short) {
        body.push(`${style.bold(field.name)}: ${value}`);
      } else {
        body.push(style.bold(field.name));
        body.push(...value.split("\n"));
      }
      previousInline = short;
    }
    if (embed.imageFile) body.push(style.dim(`[image: ${embed.imageFile}]`));
    for (const line of body) lines.push(`│ ${line}`.trimEnd());
    lines.push(embed.footer ? `└─ ${style.dim(rich(embed.footer))}` : "└─");
  }
  const menus = menuOptionRows(fitted);
  const rows = [...(fitted.buttons ?? []), ...menus.map((menu) => menu.buttons)];
  const numbers = (options.numberButtons ?? numberInOrder)(rows);
  const buttons: NumberedButton[] = [];
  for (const [rowIndex, row] of rows.entries()) {
    const menu = menus[rowIndex - (fitted.buttons?.length ?? 0)];
    if (menu) lines.push(style.dim(menu.placeholder));
    const labels = row.map((button) => {
      const number = numbers.get(button.id);
      if (number === undefined) throw new Error(`No number for the button ${button.id}`);
      buttons.push({ number, button });
      return button.disabled ? style.dim(`[-] ${button.label}`) : `[${number}] ${button.label}`;
    });
    lines.push(labels.join("  "));
  }
  return { text: lines.join("\n"), buttons };
}
