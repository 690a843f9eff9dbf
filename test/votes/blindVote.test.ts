import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import {
  arrangeReplies,
  assignSides,
  type BlindVote,
  castVote,
  DEFAULT_VOTE_SECONDS,
  isExpired,
  openBlindVote,
  POINTS_PER_RIGHT_GUESS,
  type ReplyLetter,
  results,
  reveal,
  sourceOf,
  tally,
  VoteNotRevealedError,
} from "../../src/votes/blindVote.ts";

const START = new Date("2026-11-21T12:00:00Z");
const AUTHOR = "100000000000000001";

function at(seconds: number): Date {
  return new Date(START.getTime() + seconds * 1000);
}

/** A vote whose base reply is posted as "A" (the random source returns 0). */
function openVote(durationSeconds?: number): BlindVote {
  return openBlindVote({
    id: "v1",
    guildId: "g1",
    channelId: "c1",
    authorId: AUTHOR,
    now: START,
    random: () => 0,
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
  });
}

function vote(state: BlindVote, memberId: string, choice: ReplyLetter, seconds: number): BlindVote {
  return castVote(state, memberId, choice, at(seconds)).state;
}

describe("sides", () => {
  it("GIVEN a random source THEN the base reply goes under A for the lower half and B for the upper half", () => {
    expect(assignSides(() => 0)).toBe("A");
    expect(assignSides(() => 0.49)).toBe("A");
    expect(assignSides(() => 0.5)).toBe("B");
    expect(assignSides(() => 0.99)).toBe("B");
  });

  it("GIVEN Math.random THEN both letters come up", () => {
    const letters = new Set(Array.from({ length: 200 }, () => assignSides()));
    expect(letters).toEqual(new Set(["A", "B"]));
  });

  it("GIVEN the base letter THEN replies are arranged under their letters and each letter maps back to its model", () => {
    expect(arrangeReplies("A", { base: "raw", instruct: "chat" })).toEqual({ A: "raw", B: "chat" });
    expect(arrangeReplies("B", { base: "raw", instruct: "chat" })).toEqual({ A: "chat", B: "raw" });
    expect(sourceOf({ baseLetter: "B" }, "B")).toBe("base");
    expect(sourceOf({ baseLetter: "B" }, "A")).toBe("instruct");
  });
});

describe("openBlindVote", () => {
  it("GIVEN no duration THEN closes after 60 seconds with no ballots, unrevealed, no message yet", () => {
    const state = openVote();
    expect(state).toEqual({
      id: "v1",
      guildId: "g1",
      channelId: "c1",
      messageId: null,
      authorId: AUTHOR,
      baseLetter: "A",
      closesAt: at(DEFAULT_VOTE_SECONDS),
      revealedAt: null,
      ballots: [],
    });
  });

  it("GIVEN a random source above one half THEN the base reply is B", () => {
    expect(
      openBlindVote({
        id: "v",
        guildId: "g",
        channelId: "c",
        authorId: AUTHOR,
        now: START,
        random: () => 0.7,
      }).baseLetter,
    ).toBe("B");
  });

  it("GIVEN 10 or 600 seconds THEN accepted; GIVEN 9, 601 or a fraction THEN a UserError names the range", () => {
    expect(openVote(10).closesAt).toEqual(at(10));
    expect(openVote(600).closesAt).toEqual(at(600));
    for (const seconds of [9, 601, 30.5, Number.NaN]) {
      expect(() => openVote(seconds)).toThrow(UserError);
      expect(() => openVote(seconds)).toThrow("from 10 to 600");
    }
  });
});

describe("castVote", () => {
  it("GIVEN a member votes for the first time THEN the ballot is recorded", () => {
    const { state, outcome } = castVote(openVote(), "m1", "A", at(5));
    expect(outcome).toBe("recorded");
    expect(state.ballots).toEqual([{ memberId: "m1", choice: "A", updatedAt: at(5) }]);
  });

  it("GIVEN a member votes twice for the same letter THEN they still have one ballot and the state is unchanged", () => {
    const once = vote(openVote(), "m1", "A", 5);
    const { state, outcome } = castVote(once, "m1", "A", at(8));
    expect(outcome).toBe("unchanged");
    expect(state).toBe(once);
    expect(state.ballots).toHaveLength(1);
  });

  it("GIVEN a member changes their mind before the reveal THEN their one ballot is changed, keeping its place", () => {
    let state = vote(openVote(), "m1", "A", 5);
    state = vote(state, "m2", "B", 6);
    const changed = castVote(state, "m1", "B", at(9));
    expect(changed.outcome).toBe("changed");
    expect(changed.state.ballots).toEqual([
      { memberId: "m1", choice: "B", updatedAt: at(9) },
      { memberId: "m2", choice: "B", updatedAt: at(6) },
    ]);
  });

  it("GIVEN any vote THEN the previous state is not modified", () => {
    const before = vote(openVote(), "m1", "A", 5);
    const snapshot = structuredClone(before);
    castVote(before, "m1", "B", at(6));
    castVote(before, "m2", "B", at(6));
    reveal(before, { memberId: AUTHOR }, at(7));
    expect(before).toEqual(snapshot);
  });

  it("GIVEN the vote was revealed THEN new votes and changes are refused as closed", () => {
    const voted = vote(openVote(), "m1", "A", 5);
    const revealed = reveal(voted, { memberId: AUTHOR }, at(10)).state;
    const change = castVote(revealed, "m1", "B", at(11));
    const late = castVote(revealed, "m2", "A", at(11));
    expect(change).toEqual({ state: revealed, outcome: "closed" });
    expect(late).toEqual({ state: revealed, outcome: "closed" });
  });

  it("GIVEN the timer ran out but the reveal is not posted yet THEN votes are already closed", () => {
    const voted = vote(openVote(), "m1", "A", 5);
    expect(castVote(voted, "m1", "B", at(60)).outcome).toBe("closed");
    expect(castVote(voted, "m2", "B", at(59.999)).outcome).toBe("recorded");
  });
});

describe("isExpired", () => {
  it("GIVEN the clock THEN expired from closesAt on", () => {
    const state = openVote(30);
    expect(isExpired(state, at(29.999))).toBe(false);
    expect(isExpired(state, at(30))).toBe(true);
    expect(isExpired(state, at(300))).toBe(true);
  });
});

describe("reveal", () => {
  it("GIVEN the author presses Reveal early THEN the vote is revealed at that moment", () => {
    const { state, outcome } = reveal(openVote(), { memberId: AUTHOR }, at(12));
    expect(outcome).toBe("revealed");
    expect(state.revealedAt).toEqual(at(12));
  });

  it("GIVEN another member presses Reveal THEN it is refused and nothing changes", () => {
    const open = openVote();
    expect(reveal(open, { memberId: "m1" }, at(12))).toEqual({ state: open, outcome: "not-author" });
  });

  it("GIVEN the timer ends THEN the vote is revealed, even if the timer fires a moment early", () => {
    expect(reveal(openVote(), "timer", at(60)).outcome).toBe("revealed");
    expect(reveal(openVote(), "timer", at(59.99)).state.revealedAt).toEqual(at(59.99));
  });

  it("GIVEN it was already revealed THEN a second reveal by anyone changes nothing", () => {
    const revealed = reveal(openVote(), "timer", at(60)).state;
    expect(reveal(revealed, { memberId: AUTHOR }, at(61))).toEqual({
      state: revealed,
      outcome: "already-revealed",
    });
    expect(reveal(revealed, "timer", at(61))).toEqual({ state: revealed, outcome: "already-revealed" });
    expect(reveal(revealed, { memberId: "m1" }, at(61))).toEqual({
      state: revealed,
      outcome: "already-revealed",
    });
  });
});

describe("tally and results", () => {
  /** Base is "A": m1 and m3 are right, m2 is wrong, m4 changed from right to wrong. */
  function revealedVote(): BlindVote {
    let state = openVote();
    state = vote(state, "m1", "A", 1);
    state = vote(state, "m2", "B", 2);
    state = vote(state, "m3", "A", 3);
    state = vote(state, "m4", "A", 4);
    state = vote(state, "m4", "B", 5);
    return reveal(state, { memberId: AUTHOR }, at(20)).state;
  }

  it("GIVEN ballots THEN tally counts each member's current choice once", () => {
    expect(tally(revealedVote())).toEqual({ A: 2, B: 2 });
    expect(tally(openVote())).toEqual({ A: 0, B: 0 });
  });

  it("GIVEN a revealed vote THEN results name the base letter, the right and wrong voters, and points only for the right ones", () => {
    expect(results(revealedVote())).toEqual({
      baseLetter: "A",
      counts: { A: 2, B: 2 },
      rightVoters: ["m1", "m3"],
      wrongVoters: ["m2", "m4"],
      pointsAwarded: [
        { memberId: "m1", points: POINTS_PER_RIGHT_GUESS, sourceKey: "vote:v1:m1" },
        { memberId: "m3", points: POINTS_PER_RIGHT_GUESS, sourceKey: "vote:v1:m3" },
      ],
    });
    expect(POINTS_PER_RIGHT_GUESS).toBe(2);
  });

  it("GIVEN results are computed again (a retried reveal) THEN the awards and their source keys are the same", () => {
    const state = revealedVote();
    const first = results(state).pointsAwarded;
    const again = results(reveal(state, "timer", at(61)).state).pointsAwarded;
    expect(again).toEqual(first);
    const keys = first.map((award) => award.sourceKey);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("GIVEN the base reply was B THEN the B voters are the right ones", () => {
    let state = openBlindVote({
      id: "v2",
      guildId: "g",
      channelId: "c",
      authorId: AUTHOR,
      now: START,
      random: () => 0.9,
    });
    state = vote(state, "m1", "A", 1);
    state = vote(state, "m2", "B", 2);
    const outcome = results(reveal(state, "timer", at(60)).state);
    expect(outcome.rightVoters).toEqual(["m2"]);
    expect(outcome.pointsAwarded.map((award) => award.sourceKey)).toEqual(["vote:v2:m2"]);
  });

  it("GIVEN nobody voted THEN results award nothing", () => {
    const outcome = results(reveal(openVote(), "timer", at(60)).state);
    expect(outcome).toMatchObject({ rightVoters: [], wrongVoters: [], pointsAwarded: [] });
  });

  it("GIVEN the vote is still open THEN results refuse, so the answer cannot leak", () => {
    expect(() => results(vote(openVote(), "m1", "A", 1))).toThrow(VoteNotRevealedError);
  });
});
