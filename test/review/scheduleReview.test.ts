import { Rating, State } from "ts-fsrs";
import { describe, expect, it } from "vitest";
import { ratingFor, scheduleReview } from "../../src/review/scheduleReview.ts";

const now = new Date("2025-03-10T12:00:00Z");
const minute = 60 * 1000;
const day = 24 * 60 * minute;

describe("scheduleReview", () => {
  it("GIVEN a wrong answer THEN it is rated Again", () => {
    expect(ratingFor(false)).toBe(Rating.Again);
  });

  it("GIVEN a right answer THEN it is rated Good", () => {
    expect(ratingFor(true)).toBe(Rating.Good);
  });

  it("GIVEN a first wrong answer THEN the card is due again within minutes", () => {
    const { card, log } = scheduleReview(undefined, false, now);
    expect(log.rating).toBe(Rating.Again);
    expect(card.due.getTime() - now.getTime()).toBeLessThanOrEqual(10 * minute);
    expect(card.reps).toBe(1);
  });

  it("GIVEN a first right answer THEN the card is due only after at least a day", () => {
    const { card, log } = scheduleReview(undefined, true, now);
    expect(log.rating).toBe(Rating.Good);
    expect(card.due.getTime() - now.getTime()).toBeGreaterThanOrEqual(day);
    expect(card.state).toBe(State.Review);
  });

  it("GIVEN a learned card answered wrongly when due THEN it lapses and comes back soon", () => {
    const learned = scheduleReview(undefined, true, now).card;
    const { card } = scheduleReview(learned, false, learned.due);
    expect(card.lapses).toBe(1);
    expect(card.state).toBe(State.Relearning);
    expect(card.due.getTime() - learned.due.getTime()).toBeLessThanOrEqual(10 * minute);
  });

  it("GIVEN a learned card answered rightly when due THEN the next interval grows", () => {
    const learned = scheduleReview(undefined, true, now).card;
    const { card } = scheduleReview(learned, true, learned.due);
    expect(card.due.getTime() - learned.due.getTime()).toBeGreaterThan(learned.due.getTime() - now.getTime());
  });
});
