import { and, eq, isNull } from "drizzle-orm";
import type { AppDatabase } from "../db/openDatabase.ts";
import { blindVoteBallots, blindVotes } from "../db/schema.ts";
import type { AppTransaction } from "../db/writeTransaction.ts";
import { writeTransaction } from "../db/writeTransaction.ts";
import { awardPoints } from "../progress/awardPoints.ts";
import { recordActivityDay } from "../progress/recordActivityDay.ts";
import {
  type BlindVote,
  type CastVoteOutcome,
  castVote,
  type ReplyLetter,
  type Revealer,
  type RevealOutcome,
  results,
  reveal,
  type VoteResults,
} from "./blindVote.ts";

function load(tx: AppTransaction | AppDatabase, id: string): BlindVote | undefined {
  const row = tx.select().from(blindVotes).where(eq(blindVotes.id, id)).get();
  if (!row) return undefined;
  const ballots = tx
    .select()
    .from(blindVoteBallots)
    .where(eq(blindVoteBallots.voteId, id))
    .orderBy(blindVoteBallots.updatedAt)
    .all();
  return {
    ...row,
    ballots: ballots.map((ballot) => ({
      memberId: ballot.memberId,
      choice: ballot.choice,
      updatedAt: ballot.updatedAt,
    })),
  };
}

/**
 * Blind votes in SQLite. The rules live in `blindVote.ts`; this class only loads a vote, applies
 * one rule and writes the result in the same transaction, so a restart mid-vote loses no ballot
 * and a retried reveal pays nobody twice (points are keyed per vote and member).
 */
export class BlindVoteStore {
  constructor(private readonly deps: { db: AppDatabase }) {}

  async open(vote: BlindVote): Promise<void> {
    await writeTransaction(this.deps.db, (tx) => {
      tx.insert(blindVotes)
        .values({
          id: vote.id,
          guildId: vote.guildId,
          channelId: vote.channelId,
          messageId: vote.messageId,
          authorId: vote.authorId,
          baseLetter: vote.baseLetter,
          closesAt: vote.closesAt,
          revealedAt: vote.revealedAt,
        })
        .run();
    });
  }

  async setMessageId(id: string, messageId: string): Promise<void> {
    await writeTransaction(this.deps.db, (tx) => {
      tx.update(blindVotes).set({ messageId }).where(eq(blindVotes.id, id)).run();
    });
  }

  get(id: string): BlindVote | undefined {
    return load(this.deps.db, id);
  }

  /** Votes whose reveal has not been posted yet (to re-arm their timers after a restart). */
  unrevealed(): BlindVote[] {
    const ids = this.deps.db
      .select({ id: blindVotes.id })
      .from(blindVotes)
      .where(isNull(blindVotes.revealedAt))
      .all();
    return ids.map(({ id }) => load(this.deps.db, id)).filter((vote) => vote !== undefined);
  }

  cast(
    id: string,
    memberId: string,
    choice: ReplyLetter,
    now: Date,
  ): Promise<{ vote: BlindVote; outcome: CastVoteOutcome } | undefined> {
    return writeTransaction(this.deps.db, (tx) => {
      const vote = load(tx, id);
      if (!vote) return undefined;
      const { state, outcome } = castVote(vote, memberId, choice, now);
      if (outcome === "recorded" || outcome === "changed") {
        tx.insert(blindVoteBallots)
          .values({ voteId: id, memberId, choice, updatedAt: now })
          .onConflictDoUpdate({
            target: [blindVoteBallots.voteId, blindVoteBallots.memberId],
            set: { choice, updatedAt: now },
          })
          .run();
        recordActivityDay(tx, { guildId: vote.guildId, userId: memberId }, now);
      }
      return { vote: state, outcome };
    });
  }

  reveal(
    id: string,
    by: Revealer,
    now: Date,
  ): Promise<{ vote: BlindVote; outcome: RevealOutcome; results?: VoteResults } | undefined> {
    return writeTransaction(this.deps.db, (tx) => {
      const vote = load(tx, id);
      if (!vote) return undefined;
      const { state, outcome } = reveal(vote, by, now);
      if (outcome === "not-author") return { vote: state, outcome };
      if (outcome === "revealed") {
        tx.update(blindVotes)
          .set({ revealedAt: now })
          .where(and(eq(blindVotes.id, id), isNull(blindVotes.revealedAt)))
          .run();
      }
      const outcomeResults = results(state);
      for (const award of outcomeResults.pointsAwarded) {
        awardPoints(
          tx,
          { guildId: state.guildId, userId: award.memberId },
          {
            points: award.points,
            kind: "blind_vote",
            sourceKey: award.sourceKey,
            at: state.revealedAt ?? now,
          },
        );
      }
      return { vote: state, outcome, results: outcomeResults };
    });
  }
}
