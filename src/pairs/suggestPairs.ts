import type { AutocompleteChoice } from "../ui/interaction.ts";
import type { PairCatalogue } from "./ModelPair.ts";

/** Discord shows at most 25 choices; a name is at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_NAME = 100;

/**
 * Choices for a `pair:` option as the member types: pairs whose id or label contains the text
 * (case-insensitive), ids that start with it first, the default pair marked.
 */
export function suggestPairs(catalogue: PairCatalogue, typed: string): AutocompleteChoice[] {
  const text = typed.trim().toLowerCase();
  const matches = catalogue.pairs.filter(
    (pair) => text === "" || pair.id.includes(text) || pair.label.toLowerCase().includes(text),
  );
  const rank = (id: string) => (text !== "" && id.startsWith(text) ? 0 : 1);
  return matches
    .map((pair, index) => ({ pair, index }))
    .sort((a, b) => rank(a.pair.id) - rank(b.pair.id) || a.index - b.index)
    .slice(0, MAX_CHOICES)
    .map(({ pair }) => {
      const name = `${pair.label} (${pair.id})${pair.id === catalogue.defaultPairId ? " · default" : ""}`;
      return { name: name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name, value: pair.id };
    });
}
