import { ButtonCodec } from "../ui/buttonCodec.ts";

/** Blind-vote buttons: `vote:pick:<runId>:<A|B>` and `vote:reveal:<runId>`. */
export const voteButtons = new ButtonCodec("vote", {
  pick: { runId: "text", letter: "text" },
  reveal: { runId: "text" },
});
