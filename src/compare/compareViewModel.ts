import { member, moment } from "../ui/richText.ts";
import type { RichText } from "../ui/view.ts";
import { arrangeReplies, type BlindVote, type ReplyLetter, results, tally } from "../votes/blindVote.ts";
import { voteButtons } from "../votes/voteButtons.ts";
import type { CompareSide, CompareSnapshot } from "./CompareEngine.ts";
import { type CompareRecord, storedSides } from "./CompareRunStore.ts";
import type { CompareSideView, CompareViewModel } from "./renderCompare.ts";

/** Blind-vote state the message shows: the drawn letter of the base reply, and the vote once open. */
export interface BlindShown {
  baseLetter: ReplyLetter;
  vote?: BlindVote;
}

/** A run in progress (or just finished), from the engine's snapshot. */
export function liveCompareViewModel(
  runId: string,
  snapshot: CompareSnapshot,
  blind: BlindShown | undefined,
): CompareViewModel {
  return {
    ...compareViewModel(runId, snapshot.prompt, snapshot.sides, snapshot.sampling, snapshot.finished, blind),
    queuePosition: snapshot.queuePosition > 0 ? snapshot.queuePosition : undefined,
  };
}

/** A stored (finished) run, with its blind vote when it has one. */
export function storedCompareViewModel(record: CompareRecord, vote: BlindVote | undefined): CompareViewModel {
  const sides = storedSides(record).map((side): CompareSideView => ({ ...side, state: "done" }));
  const sampling = {
    temperature: record.temperature,
    topP: record.topP,
    seed: record.seed,
    maxTokens: record.maxTokens,
  };
  const blind = vote ? { baseLetter: vote.baseLetter, vote } : undefined;
  return compareViewModel(record.id, record.prompt, sides, sampling, true, blind);
}

function compareViewModel(
  runId: string,
  prompt: string,
  shownSides: readonly (CompareSideView | CompareSide)[],
  sampling: CompareViewModel["sampling"],
  finished: boolean,
  blind: BlindShown | undefined,
): CompareViewModel {
  const sides: CompareSideView[] = shownSides.map((side) => ({
    key: side.key,
    label: side.label,
    text: side.text,
    state: side.state,
    stats: side.stats,
    error: side.error,
  }));
  if (!blind) return { runId, prompt, sides, sampling, finished };
  // Blind: Reply A and Reply B in the drawn order, model names and stats hidden until the reveal.
  const { vote } = blind;
  const revealed = vote?.revealedAt != null;
  const base = sides.find((side) => side.key === "base");
  const instruct = sides.find((side) => side.key === "instruct");
  const arranged = arrangeReplies(blind.baseLetter, { base, instruct });
  const ordered = [arranged.A, arranged.B].filter((side): side is CompareSideView => side !== undefined);
  const letters: ReplyLetter[] = ["A", "B"];
  return {
    runId,
    prompt,
    sides: ordered.map((side, index) => ({
      ...side,
      label: revealed ? `Reply ${letters[index]} — ${side.label}` : `Reply ${letters[index]}`,
      stats: revealed ? side.stats : undefined,
    })),
    sampling,
    finished,
    note: voteNote(vote, finished),
    promptsHidden: !revealed,
    extraButtons:
      vote && !revealed
        ? [
            {
              id: voteButtons.encode({ action: "pick", runId, letter: "A" }),
              label: "A is the base model",
              style: "primary",
            },
            {
              id: voteButtons.encode({ action: "pick", runId, letter: "B" }),
              label: "B is the base model",
              style: "primary",
            },
            { id: voteButtons.encode({ action: "reveal", runId }), label: "Reveal", style: "secondary" },
          ]
        : undefined,
  };
}

function voteNote(vote: BlindVote | undefined, finished: boolean): RichText {
  if (!vote) {
    return finished
      ? "**Blind vote:** the vote could not start."
      : "**Blind vote:** which reply comes from the base model? Voting opens when both replies are done.";
  }
  const counts = tally(vote);
  if (vote.revealedAt === null) {
    return [
      `**Blind vote:** which reply comes from the base model? ${counts.A + counts.B} vote(s) so far. Voting closes `,
      moment(vote.closesAt),
      "; the author can reveal early.",
    ];
  }
  const outcome = results(vote);
  const right =
    outcome.rightVoters.length > 0
      ? outcome.rightVoters.flatMap((id, index) => [...(index > 0 ? [", "] : []), member(id, id)])
      : ["nobody this time"];
  const points =
    outcome.rightVoters.length > 0 ? ` (+${outcome.pointsAwarded[0]?.points ?? 0} points each)` : "";
  return [
    `**Revealed:** Reply ${outcome.baseLetter} came from the **base** model.\nVotes: A ${counts.A} · B ${counts.B}. Right: `,
    ...right,
    `${points}.`,
  ];
}
