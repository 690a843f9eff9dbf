import { and, eq, gte, sum } from "drizzle-orm";
import type { AppDatabase } from "../db/openDatabase.ts";
import { scoreEvents } from "../db/schema.ts";
import { type LeaderboardPeriod, leaderboardPeriodStart } from "./leaderboardPeriod.ts";
import { type RankedScore, rankScores } from "./rankScores.ts";

/** How many members the leaderboard lists. */
export const leaderboardSize = 10;

export interface LeaderboardServiceOptions {
  db: AppDatabase;
  now: () => Date;
}

export interface Leaderboard {
  period: LeaderboardPeriod;
  /** The best {@link leaderboardSize} members, with points above zero. */
  top: RankedScore[];
  /** The member who asked, when they have points but are not in `top`. */
  caller: RankedScore | undefined;
  /** The member who asked has no points in the period. */
  callerUnranked: boolean;
}

/** Ranks a guild's members by points in score_events, whatever feature earned them. */
export class LeaderboardService {
  readonly #db: AppDatabase;
  readonly #now: () => Date;

  constructor(options: LeaderboardServiceOptions) {
    this.#db = options.db;
    this.#now = options.now;
  }

  rank(guildId: string, callerId: string, period: LeaderboardPeriod): Leaderboard {
    const since = leaderboardPeriodStart(period, this.#now());
    const total = sum(scoreEvents.points).mapWith(Number);
    const totals = this.#db
      .select({ userId: scoreEvents.userId, points: total })
      .from(scoreEvents)
      .where(and(eq(scoreEvents.guildId, guildId), since ? gte(scoreEvents.createdAt, since) : undefined))
      .groupBy(scoreEvents.userId)
      .all();
    const ranked = rankScores(totals.filter((row) => row.points > 0));
    const top = ranked.slice(0, leaderboardSize);
    const own = ranked.find((score) => score.userId === callerId);
    return {
      period,
      top,
      caller: own && !top.includes(own) ? own : undefined,
      callerUnranked: own === undefined,
    };
  }
}
