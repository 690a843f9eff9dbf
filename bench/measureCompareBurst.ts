import type { DiscordDouble } from "../test/discord/DiscordDouble.ts";
import { isFinishedCompare } from "../test/support/compareMessages.ts";

export interface CompareBurstResults {
  members: number;
  admitted: number;
  refused: number;
  /** What the first refusal said, if any. */
  refusal: string | null;
  /** From the burst to the last admitted comparison's final revision, ms. */
  allDoneMs: number;
}

/**
 * A burst of `/compare` from many members at once on a freshly started bot: how many the queue
 * admits, and how long they all take. The queue must not refuse work that would finish in seconds.
 */
export async function measureCompareBurst(
  double: DiscordDouble,
  options: { members: number; maxTokens: number; prompt: string },
): Promise<CompareBurstResults> {
  const startedAt = performance.now();
  const commands = Array.from({ length: options.members }, (_, index) =>
    double.slash(double.user(`burst${index}`), "compare", {
      prompt: `${options.prompt} (${index})`,
      max_tokens: options.maxTokens,
      temperature: 0,
    }),
  );
  const first = await Promise.all(commands.map((command) => command.waitForReply(() => true, 60_000)));
  const refusals = first.filter((message) => message.ephemeral);
  const admitted = commands.filter((_, index) => !first[index]?.ephemeral);
  await Promise.all(admitted.map((command) => command.waitForReply(isFinishedCompare, 300_000)));
  return {
    members: options.members,
    admitted: admitted.length,
    refused: refusals.length,
    refusal: refusals[0]?.text ?? null,
    allDoneMs: performance.now() - startedAt,
  };
}
