import type { ContentLibrary } from "../lessons/content.ts";
import type { ClassRecord, ClassStore } from "./ClassStore.ts";

/** Why a class ended, as stored. */
export type EndReason = "host" | "admin" | "idle" | "channel-deleted";

/** One member's place on a class scoreboard. */
export interface Standing {
  rank: number;
  userId: string;
  name: string;
  points: number;
  right: number;
  answered: number;
}

export interface ClassScoreboard {
  classId: string;
  lessonTitle: string;
  hostName: string;
  /** Best first; ties share a rank. */
  standings: Standing[];
  /** Revealed questions (a question the host skipped is not one). */
  questions: number;
}

/** The end of a class: what the final message and the summary card show. */
export interface ClassSummary extends ClassScoreboard {
  startedAt: Date;
  endedAt: Date;
  endReason: EndReason;
  participants: number;
  /** Right answers ÷ all answers, 0..1; null with no answers. */
  accuracy: number | null;
  /** The question with the lowest share of right answers. */
  hardest: { prompt: string; accuracy: number } | null;
}

/** A class's scoreboard over its revealed rounds: best first, ties share a rank. */
export function scoreClass(store: ClassStore, content: ContentLibrary, record: ClassRecord): ClassScoreboard {
  const rows = store.memberTotals(record.id);
  rows.sort((a, b) => b.points - a.points || b.right - a.right || a.name.localeCompare(b.name));
  const standings: Standing[] = [];
  for (const [index, row] of rows.entries()) {
    const previous = standings[index - 1];
    const rank = previous && previous.points === row.points ? previous.rank : index + 1;
    standings.push({ rank, ...row });
  }
  return {
    classId: record.id,
    lessonTitle: content.getLesson(record.lessonId)?.title ?? record.lessonId,
    hostName: record.hostName,
    standings,
    questions: store.roundCounts(record.id).revealed,
  };
}

/**
 * The summary of a class: its scoreboard, participants, accuracy and hardest question. For a
 * class still running, `now` stands in for its end.
 */
export function summarizeClass(
  store: ClassStore,
  content: ContentLibrary,
  record: ClassRecord,
  now: Date,
): ClassSummary {
  const board = scoreClass(store, content, record);
  const perRound = store.roundTotals(record.id);
  const answered = perRound.reduce((sum, round) => sum + round.answered, 0);
  const right = perRound.reduce((sum, round) => sum + round.right, 0);
  const hardestRound = perRound
    .map((round) => ({ ...round, accuracy: round.right / round.answered }))
    .sort((a, b) => a.accuracy - b.accuracy || a.number - b.number)[0];
  const questionId = hardestRound && store.round(record.id, hardestRound.number)?.questionId;
  const prompt = questionId && content.getQuestion(questionId)?.prompt;
  return {
    ...board,
    startedAt: record.startedAt,
    endedAt: record.endedAt ?? now,
    endReason: (record.endReason ?? "host") as EndReason,
    participants: board.standings.length,
    accuracy: answered > 0 ? right / answered : null,
    hardest: hardestRound && prompt ? { prompt, accuracy: hardestRound.accuracy } : null,
  };
}
