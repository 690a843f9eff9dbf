import { joinRichText, member } from "../ui/richText.ts";
import type { TextPart, View } from "../ui/view.ts";
import type { Leaderboard } from "./LeaderboardService.ts";
import type { RankedScore } from "./rankScores.ts";

/**
 * The guild's leaderboard, shared in the channel. Members are neutral parts: Discord shows them
 * as mentions (sent with empty `allowedMentions`, so nobody is pinged), the terminal as names.
 */
export function renderLeaderboard(board: Leaderboard, callerId: string): View {
  const lines: (string | TextPart[])[] = board.top.map((score) => line(score, callerId));
  if (lines.length === 0) lines.push("No points yet — answer /quiz questions to get on the board.");
  if (board.caller) lines.push("…", line(board.caller, callerId));
  else if (board.callerUnranked && board.top.length > 0)
    lines.push("", "You have no points in this period yet.");
  return {
    embeds: [
      {
        title: board.period === "week" ? "Leaderboard · last 7 days" : "Leaderboard · all time",
        description: joinRichText(...lines.flatMap((text, index) => (index === 0 ? [text] : ["\n", text]))),
        footer:
          board.period === "week"
            ? "Rolling 7 days, not the calendar week · 1 point per correct quiz answer, 2 per right blind-vote guess, 1–2 per right class answer"
            : "All time · 1 point per correct quiz answer, 2 per right blind-vote guess, 1–2 per right class answer",
        color: "brand",
      },
    ],
  };
}

function line(score: RankedScore, callerId: string): TextPart[] {
  const points = `${score.points} ${score.points === 1 ? "point" : "points"}`;
  const you = score.userId === callerId ? " (you)" : "";
  // Scores carry ids only: the terminal shows the id, Discord's client shows the member's name.
  return [`**${score.rank}.** `, member(score.userId, score.userId), ` — ${points}${you}`];
}
