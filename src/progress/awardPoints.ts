import type { MemberKey } from "../db/MemberKey.ts";
import { scoreEvents } from "../db/schema.ts";
import type { AppTransaction } from "../db/writeTransaction.ts";

export interface PointsAward {
  points: number;
  /** What earned them, for example `quiz_correct`. */
  kind: string;
  /**
   * Names the achievement uniquely across all kinds, for example `quiz:<runId>:<questionIndex>`.
   * A second award with the same key is ignored.
   */
  sourceKey: string;
  at: Date;
}

/** Adds points to the member's leaderboard total once per `sourceKey`. Returns false if already awarded. */
export function awardPoints(tx: AppTransaction, member: MemberKey, award: PointsAward): boolean {
  const result = tx
    .insert(scoreEvents)
    .values({
      guildId: member.guildId,
      userId: member.userId,
      points: award.points,
      kind: award.kind,
      sourceKey: award.sourceKey,
      createdAt: award.at,
    })
    .onConflictDoNothing()
    .run();
  return result.changes > 0;
}
