import { ButtonCodec } from "../ui/buttonCodec.ts";

/**
 * `/nexttoken` components: the buttons `nexttoken:next:<walkId>` and `nexttoken:done:<walkId>`, and
 * the menus `nexttoken:pick:<walkId>:<side>` whose value is the chosen candidate's token id.
 */
export const nextTokenButtons = new ButtonCodec("nexttoken", {
  next: { walkId: "text" },
  done: { walkId: "text" },
  pick: { walkId: "text", side: "text" },
});
