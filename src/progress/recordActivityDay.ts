import type { MemberKey } from "../db/MemberKey.ts";
import { activityDays } from "../db/schema.ts";
import type { AppTransaction } from "../db/writeTransaction.ts";
import { utcDay } from "./utcDay.ts";

/** Marks the UTC day of `at` as active for the member (for streaks); repeated calls are no-ops. */
export function recordActivityDay(tx: AppTransaction, member: MemberKey, at: Date): void {
  tx.insert(activityDays)
    .values({ guildId: member.guildId, userId: member.userId, day: utcDay(at) })
    .onConflictDoNothing()
    .run();
}
