import type { CompareService } from "../compare/CompareService.ts";
import { renderTemplate } from "../compare/renderTemplate.ts";
import type { NextTokenService } from "../nexttoken/NextTokenService.ts";
import { renderTokenize } from "../tokenize/renderTokenize.ts";
import type { TokenizeService } from "../tokenize/TokenizeService.ts";
import type { ButtonInvocation } from "../ui/interaction.ts";
import type { LessonDemo } from "./content.ts";

/** The services a lesson's demos use. */
export interface DemoServices {
  compare: CompareService;
  nextToken: NextTokenService;
  tokenizer: TokenizeService;
}

/**
 * Runs one of a lesson's demos for the member who pressed its button, in the channel, exactly as
 * the matching command would: `/compare` (plain, three-way or blind), `/nexttoken`, `/template` or
 * `/tokenize`.
 * Models still loading are waited for (by the services); a missing model is a polite error like
 * the commands give.
 */
export async function runLessonDemo(
  services: DemoServices,
  invocation: ButtonInvocation,
  demo: LessonDemo,
): Promise<void> {
  switch (demo.kind) {
    case "compare":
      await services.compare.compare(
        {
          guildId: invocation.guildId,
          channelId: invocation.channelId,
          userId: invocation.actor.id,
          prompt: demo.prompt,
          mode: demo.mode,
          blind: demo.blind,
        },
        invocation.receivedAt,
        (view) => invocation.reply.post(view),
      );
      return;
    case "nexttoken":
      await invocation.reply.send(
        await services.nextToken.start({
          userId: invocation.actor.id,
          userName: invocation.actor.displayName,
          prompt: demo.prompt,
        }),
      );
      return;
    case "template":
      await invocation.reply.send(renderTemplate(await services.compare.describeTemplate(demo.message)));
      return;
    case "tokenize":
      await invocation.reply.send(renderTokenize(await services.tokenizer.tokenize(demo.text)));
      return;
  }
}
