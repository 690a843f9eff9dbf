import { and, eq, isNull } from "drizzle-orm";
import { classRounds } from "../db/schema.ts";
import type { AppTransaction } from "../db/writeTransaction.ts";

/**
 * Closes a round that is still open, inside `tx`: a reveal sets `revealedAt`, a skip both. False
 * when another transaction closed it first, so a reveal and a skip (or two reveals) racing each
 * other end as exactly one of them.
 */
export function closeOpenRound(
  tx: AppTransaction,
  round: { classId: string; number: number },
  closed: { revealedAt: Date; skippedAt?: Date },
): boolean {
  const changed = tx
    .update(classRounds)
    .set(closed)
    .where(
      and(
        eq(classRounds.classId, round.classId),
        eq(classRounds.number, round.number),
        isNull(classRounds.revealedAt),
      ),
    )
    .run();
  return changed.changes > 0;
}
