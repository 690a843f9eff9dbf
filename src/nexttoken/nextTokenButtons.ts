import { ButtonCodec } from "../ui/buttonCodec.ts";

/** `/nexttoken` buttons: `nexttoken:next:<walkId>` and `nexttoken:done:<walkId>`. */
export const nextTokenButtons = new ButtonCodec("nexttoken", {
  next: { walkId: "text" },
  done: { walkId: "text" },
});
