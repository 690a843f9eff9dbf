import type { View } from "../ui/view.ts";
import type { Leaderboard } from "./LeaderboardService.ts";
import type { RankedScore } from "./rankScores.ts";

/**
 * The guild's leaderboard, shared in the channel. Members appear as `<@id>` mentions; the
 * adapter sends them with empty `allowedMentions`, so nobody is pinged.
 */
export function renderLeaderboard(board: Leaderboard, callerId: string): View {
  const lines = board.top.map((score) => line(score, callerId));
  if (lines.length === 0) lines.push("No points yet — answer /quiz questions to get on the board.");
  if (board.caller) lines.push("…", line(board.caller, callerId));
  else if (board.callerUnranked && board.top.length > 0)
    lines.push("", "You have no points in this period yet.");
  return {
    embeds: [
      {
        title: board.period === "week" ? "Leaderboard · last 7 days" : "Leaderboard · all time",
        description: lines.join("\n"),
        footer:
          board.period === "week"
            ? "Rolling 7 days, not the calendar week · 1 point per correct quiz answer, 2 per right blind-vote guess"
            : "All time · 1 point per correct quiz answer, 2 per right blind-vote guess",
        color: "brand",
      },
    ],
  };
}

function line(score: RankedScore, callerId: string): string {
  const points = `${score.points} ${score.points === 1 ? "point" : "points"}`;
  return `**${score.rank}.** <@${score.userId}> — ${points}${score.userId === callerId ? " (you)" : ""}`;
}
