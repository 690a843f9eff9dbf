export interface MemberScore {
  userId: string;
  points: number;
}

export interface RankedScore extends MemberScore {
  /** 1-based; members with equal points share a rank ("1, 2, 2, 4"). */
  rank: number;
}

/** Orders scores by points, highest first (ties by user id for a stable order), and ranks them. */
export function rankScores(scores: readonly MemberScore[]): RankedScore[] {
  const sorted = [...scores].sort((a, b) => b.points - a.points || a.userId.localeCompare(b.userId));
  const ranked: RankedScore[] = [];
  for (const [index, score] of sorted.entries()) {
    const previous = ranked[index - 1];
    const rank = previous && previous.points === score.points ? previous.rank : index + 1;
    ranked.push({ ...score, rank });
  }
  return ranked;
}
