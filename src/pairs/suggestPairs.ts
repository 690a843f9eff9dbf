import type { AutocompleteChoice } from "../ui/interaction.ts";
import type { ModelPair } from "./ModelPair.ts";

/** Discord shows at most 25 choices, each name at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_NAME = 100;

/**
 * `pair:` autocomplete: the pairs whose id or label contains what the member typed (all of them
 * when nothing is typed), the default pair first and marked.
 */
export function suggestPairs(
  pairs: readonly ModelPair[],
  typed: string,
  defaultPairId: string,
): AutocompleteChoice[] {
  const wanted = typed.trim().toLowerCase();
  return pairs
    .filter((pair) => wanted === "" || `${pair.id} ${pair.label}`.toLowerCase().includes(wanted))
    .sort((a, b) => Number(b.id === defaultPairId) - Number(a.id === defaultPairId))
    .slice(0, MAX_CHOICES)
    .map((pair) => {
      const name = `${pair.label} (${pair.id})${pair.id === defaultPairId ? " · default" : ""}`;
      return { name: name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name, value: pair.id };
    });
}
