import { UserError } from "../errors.ts";

/** How replies are labelled in a blind comparison. */
export type ReplyLetter = "A" | "B";

/** Which model wrote a reply. */
export type ReplySource = "base" | "instruct";

/** One member's current guess of which reply came from the base model (one `vote_ballots` row). */
export interface Ballot {
  readonly memberId: string;
  readonly choice: ReplyLetter;
  /** When the guess was first cast or last changed. */
  readonly updatedAt: Date;
}

/**
 * A blind vote on one `/compare blind:true` message. Immutable: every change returns a new
 * state. The fields are the columns of one `votes` row plus its ballots, so persisting it is
 * a plain insert or update.
 */
export interface BlindVote {
  readonly id: string;
  readonly guildId: string;
  readonly channelId: string;
  /** The message the replies were posted in; `null` until it is sent. */
  readonly messageId: string | null;
  /** Who ran `/compare`: the only member who may reveal early. */
  readonly authorId: string;
  /** The letter the base model's reply was posted under. Secret until the reveal. */
  readonly baseLetter: ReplyLetter;
  readonly closesAt: Date;
  /** `null` while voting is open. */
  readonly revealedAt: Date | null;
  /** At most one per member, in the order members first voted. */
  readonly ballots: readonly Ballot[];
}

/** How long voting stays open unless the author reveals first. */
export const DEFAULT_VOTE_SECONDS = 60;
export const MIN_VOTE_SECONDS = 10;
export const MAX_VOTE_SECONDS = 600;
/** Points for each member who picked the base model's reply correctly. */
export const POINTS_PER_RIGHT_GUESS = 2;

/**
 * Decides which letter the base model's reply is posted under. `random` returns a number in
 * [0, 1), like `Math.random` (the default); tests pass a fixed one.
 */
export function assignSides(random: () => number = Math.random): ReplyLetter {
  return random() < 0.5 ? "A" : "B";
}

/** Puts the two replies under their letters: `{ A, B }`, for posting in that order. */
export function arrangeReplies<T>(
  baseLetter: ReplyLetter,
  replies: Readonly<Record<ReplySource, T>>,
): Record<ReplyLetter, T> {
  return baseLetter === "A"
    ? { A: replies.base, B: replies.instruct }
    : { A: replies.instruct, B: replies.base };
}

/** Which model wrote the reply posted under `letter`. */
export function sourceOf(vote: Pick<BlindVote, "baseLetter">, letter: ReplyLetter): ReplySource {
  return letter === vote.baseLetter ? "base" : "instruct";
}

export interface OpenBlindVoteOptions {
  id: string;
  guildId: string;
  channelId: string;
  authorId: string;
  now: Date;
  /** Whole seconds from {@link MIN_VOTE_SECONDS} to {@link MAX_VOTE_SECONDS}. Default {@link DEFAULT_VOTE_SECONDS}. */
  durationSeconds?: number;
  /** Source for {@link assignSides}. Default `Math.random`. */
  random?: () => number;
}

/**
 * Opens a vote with the sides assigned at random and no ballots. Throws a {@link UserError}
 * when the duration is out of range, so the member is told what is allowed.
 */
export function openBlindVote(options: OpenBlindVoteOptions): BlindVote {
  const seconds = options.durationSeconds ?? DEFAULT_VOTE_SECONDS;
  if (!Number.isInteger(seconds) || seconds < MIN_VOTE_SECONDS || seconds > MAX_VOTE_SECONDS) {
    throw new UserError(
      `The vote timer must be a whole number of seconds from ${MIN_VOTE_SECONDS} to ${MAX_VOTE_SECONDS}.`,
    );
  }
  return {
    id: options.id,
    guildId: options.guildId,
    channelId: options.channelId,
    messageId: null,
    authorId: options.authorId,
    baseLetter: assignSides(options.random),
    closesAt: new Date(options.now.getTime() + seconds * 1000),
    revealedAt: null,
    ballots: [],
  };
}

/** Whether the timer has run out (voting is closed even if the reveal has not been posted yet). */
export function isExpired(vote: BlindVote, now: Date): boolean {
  return now.getTime() >= vote.closesAt.getTime();
}

/** Whether the vote still accepts ballots. */
export function isOpen(vote: BlindVote, now: Date): boolean {
  return vote.revealedAt === null && !isExpired(vote, now);
}

export type CastVoteOutcome = "recorded" | "changed" | "unchanged" | "closed";

/**
 * Records `memberId`'s guess of which reply came from the base model. A member has one ballot
 * and may change it until the reveal or the end of the timer; after that the vote is `closed`
 * and the state is returned unchanged.
 */
export function castVote(
  vote: BlindVote,
  memberId: string,
  choice: ReplyLetter,
  now: Date,
): { state: BlindVote; outcome: CastVoteOutcome } {
  if (!isOpen(vote, now)) return { state: vote, outcome: "closed" };
  const existing = vote.ballots.find((ballot) => ballot.memberId === memberId);
  if (existing === undefined) {
    return {
      state: { ...vote, ballots: [...vote.ballots, { memberId, choice, updatedAt: now }] },
      outcome: "recorded",
    };
  }
  if (existing.choice === choice) return { state: vote, outcome: "unchanged" };
  const ballots = vote.ballots.map((ballot) =>
    ballot.memberId === memberId ? { memberId, choice, updatedAt: now } : ballot,
  );
  return { state: { ...vote, ballots }, outcome: "changed" };
}

/** Who asks for the reveal: a member pressing Reveal, or the bot when the timer ends. */
export type Revealer = { memberId: string } | "timer";

export type RevealOutcome = "revealed" | "not-author" | "already-revealed";

/**
 * Ends the vote and makes the answer public. Only the author may reveal early; the timer always
 * may (even if it fires a moment before `closesAt`, so a slightly early timer cannot leave a
 * vote unrevealed). A second reveal changes nothing.
 */
export function reveal(
  vote: BlindVote,
  by: Revealer,
  now: Date,
): { state: BlindVote; outcome: RevealOutcome } {
  if (vote.revealedAt !== null) return { state: vote, outcome: "already-revealed" };
  if (by !== "timer" && by.memberId !== vote.authorId) return { state: vote, outcome: "not-author" };
  return { state: { ...vote, revealedAt: now }, outcome: "revealed" };
}

/** Ballots per letter. Safe before the reveal: it does not say which letter is the base model. */
export function tally(vote: BlindVote): Record<ReplyLetter, number> {
  const counts: Record<ReplyLetter, number> = { A: 0, B: 0 };
  for (const ballot of vote.ballots) counts[ballot.choice] += 1;
  return counts;
}

/** Points for one member; `sourceKey` is unique per vote and member, so awarding twice is a no-op. */
export interface VotePointsAward {
  memberId: string;
  points: number;
  /** `vote:<voteId>:<memberId>`. */
  sourceKey: string;
}

export interface VoteResults {
  baseLetter: ReplyLetter;
  counts: Record<ReplyLetter, number>;
  /** Members who picked the base model's reply, in the order they first voted. */
  rightVoters: string[];
  wrongVoters: string[];
  /** One award per right voter, {@link POINTS_PER_RIGHT_GUESS} each. */
  pointsAwarded: VotePointsAward[];
}

/** Thrown when results are asked for before the reveal, which would leak the answer. */
export class VoteNotRevealedError extends Error {
  constructor(message = "The vote has not been revealed yet") {
    super(message);
    this.name = "VoteNotRevealedError";
  }
}

/**
 * The outcome of a revealed vote. The same state always gives the same awards with the same
 * source keys, so a retried reveal cannot pay anyone twice.
 */
export function results(vote: BlindVote): VoteResults {
  if (vote.revealedAt === null) throw new VoteNotRevealedError();
  const rightVoters = vote.ballots
    .filter((ballot) => ballot.choice === vote.baseLetter)
    .map((ballot) => ballot.memberId);
  const wrongVoters = vote.ballots
    .filter((ballot) => ballot.choice !== vote.baseLetter)
    .map((ballot) => ballot.memberId);
  return {
    baseLetter: vote.baseLetter,
    counts: tally(vote),
    rightVoters,
    wrongVoters,
    pointsAwarded: rightVoters.map((memberId) => ({
      memberId,
      points: POINTS_PER_RIGHT_GUESS,
      sourceKey: pointsSourceKey(vote.id, memberId),
    })),
  };
}

/** The key a vote's points are recorded under: one per vote and member. */
export function pointsSourceKey(voteId: string, memberId: string): string {
  return `vote:${voteId}:${memberId}`;
}
