import { UserError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import type { RandomSource } from "../random.ts";
import type { MessageAddress } from "../ui/interaction.ts";
import type { LiveMessages } from "../ui/LiveMessages.ts";
import type { View } from "../ui/view.ts";
import type { BlindVoteStore } from "./BlindVoteStore.ts";
import { type BlindVote, type CastVoteOutcome, openBlindVote, type ReplyLetter } from "./blindVote.ts";

export interface BlindVoteServiceOptions {
  store: BlindVoteStore;
  /** Edits the vote's message when its timer reveals it. */
  liveMessages: LiveMessages;
  /** The message of a vote as it should look now (its comparison and tally), or nothing if gone. */
  render: (vote: BlindVote) => View | undefined;
  logger: Logger;
  now: () => Date;
  /** Draws which letter the base reply gets. */
  random: RandomSource;
}

/** What a member who voted is told, by outcome. */
const voteNotes: Record<Exclude<CastVoteOutcome, "closed">, (letter: ReplyLetter) => string> = {
  recorded: (letter) => `Your vote is in: you think Reply ${letter} came from the base model.`,
  changed: (letter) => `Vote changed: you now think Reply ${letter} came from the base model.`,
  unchanged: (letter) => `You already voted for Reply ${letter}.`,
};

const goneVote = "This vote no longer exists. Start a new one with /compare blind:true.";

/**
 * The life of blind votes: drawn before a comparison runs, opened when its replies are done,
 * ballots until the reveal, and the reveal itself, by the author or by a timer. Timers survive a
 * restart (re-armed from the store by {@link resume}); a timer's reveal edits the message through
 * the platform's {@link LiveMessages}, which falls back to the bot's own credentials once the
 * interaction token has expired.
 */
export class BlindVoteService {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly options: BlindVoteServiceOptions) {}

  /** A vote not yet stored: checks the timer length and draws the letters. */
  draft(input: {
    id: string;
    guildId: string;
    channelId: string;
    authorId: string;
    seconds?: number;
  }): BlindVote {
    return openBlindVote({
      id: input.id,
      guildId: input.guildId,
      channelId: input.channelId,
      authorId: input.authorId,
      now: this.options.now(),
      durationSeconds: input.seconds,
      random: this.options.random,
    });
  }

  /** Opens a drafted vote on its message: voting runs from now for the drafted length. */
  async open(draft: BlindVote, draftedAt: Date, message: MessageAddress): Promise<BlindVote> {
    const votingMs = draft.closesAt.getTime() - draftedAt.getTime();
    const vote: BlindVote = {
      ...draft,
      channelId: message.channelId,
      closesAt: new Date(this.options.now().getTime() + votingMs),
      messageId: message.messageId,
    };
    await this.options.store.open(vote);
    this.arm(vote);
    return vote;
  }

  get(id: string): BlindVote | undefined {
    return this.options.store.get(id);
  }

  /** A member's guess; a vote whose time is up is revealed on the spot. */
  async cast(id: string, memberId: string, letter: ReplyLetter): Promise<{ vote: BlindVote; note: string }> {
    const outcome = await this.options.store.cast(id, memberId, letter, this.options.now());
    if (!outcome) throw new UserError(goneVote);
    if (outcome.outcome === "closed") {
      return { vote: (await this.revealByTimer(id)) ?? outcome.vote, note: "This vote has closed." };
    }
    return { vote: outcome.vote, note: voteNotes[outcome.outcome](letter) };
  }

  /** Reveal pressed by a member: only the author may reveal early. */
  async reveal(id: string, memberId: string): Promise<BlindVote> {
    const outcome = await this.options.store.reveal(id, { memberId }, this.options.now());
    if (!outcome) throw new UserError(goneVote);
    if (outcome.outcome === "not-author") {
      throw new UserError("Only the member who started this comparison can reveal it early.");
    }
    this.disarm(id);
    return outcome.vote;
  }

  /** Re-arms the timers of votes left open by an earlier run of the bot (at start). */
  resume(): void {
    for (const vote of this.options.store.unrevealed()) this.arm(vote);
  }

  /** Stops every timer (shutdown). Votes stay stored and are resumed at the next start. */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async revealByTimer(id: string): Promise<BlindVote | undefined> {
    const outcome = await this.options.store.reveal(id, "timer", this.options.now());
    this.disarm(id);
    return outcome?.vote;
  }

  private arm(vote: BlindVote): void {
    this.disarm(vote.id);
    const wait = Math.max(0, vote.closesAt.getTime() - this.options.now().getTime());
    const timer = setTimeout(() => {
      this.timers.delete(vote.id);
      void this.postTimerReveal(vote.id).catch((error: unknown) =>
        this.options.logger.warn({ err: error, voteId: vote.id }, "could not post a vote reveal"),
      );
    }, wait);
    timer.unref();
    this.timers.set(vote.id, timer);
  }

  private disarm(id: string): void {
    clearTimeout(this.timers.get(id));
    this.timers.delete(id);
  }

  private async postTimerReveal(id: string): Promise<void> {
    const vote = await this.revealByTimer(id);
    if (!vote?.messageId) return;
    const view = this.options.render(vote);
    if (!view) return;
    await this.options.liveMessages.edit({ channelId: vote.channelId, messageId: vote.messageId }, view);
  }
}
