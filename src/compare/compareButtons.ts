import { ButtonCodec } from "../ui/buttonCodec.ts";

/** Buttons under a comparison: `compare:prompts:<runId>`, `compare:reroll:<runId>`, `compare:stop:<runId>`. */
export const compareButtons = new ButtonCodec("compare", {
  prompts: { runId: "text" },
  reroll: { runId: "text" },
  stop: { runId: "text" },
});
