import type { PlainView } from "../ui/richText.ts";
import type { ViewButton } from "../ui/view.ts";

/** Separates a menu's id from an option's value in a terminal pseudo-button id (never in real ids). */
const SEPARATOR = "\u001f";

/**
 * A terminal has no drop-down menus: each option of a menu becomes a numbered choice of its own,
 * one row per menu, labelled with the menu's placeholder so it reads as "Base model: … ␣the 12%".
 */
export function menuOptionRows(view: PlainView): { placeholder: string; buttons: ViewButton[] }[] {
  return (view.selects ?? []).map((select) => ({
    placeholder: select.placeholder,
    buttons: select.options.map((option) => ({
      id: `${select.id}${SEPARATOR}${option.value}`,
      label: option.label,
      style: "secondary",
      ...(select.disabled && { disabled: true }),
    })),
  }));
}

/** The custom id and picked values a pressed choice stands for (a plain button picks nothing). */
export function readPressedChoice(id: string): { customId: string; values: string[] } {
  const at = id.indexOf(SEPARATOR);
  return at === -1 ? { customId: id, values: [] } : { customId: id.slice(0, at), values: [id.slice(at + 1)] };
}
