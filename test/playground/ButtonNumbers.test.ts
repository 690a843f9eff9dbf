import { describe, expect, it } from "vitest";
import { ButtonNumbers } from "../../src/playground/ButtonNumbers.ts";

const button = (id: string, label: string, disabled = false) => ({ id, label, disabled });

describe("ButtonNumbers", () => {
  it("GIVEN a message updated to its next page THEN Previous and Next keep their numbers though their ids change", () => {
    const numbers = new ButtonNumbers();
    const first = numbers.assign("m1", [
      [button("lesson:page:u:0:x", "Previous", true), button("lesson:page:u:1:x", "Next")],
    ]);
    const second = numbers.assign("m1", [
      [button("lesson:page:u:0:x", "Previous"), button("lesson:page:u:2:x", "Next")],
    ]);
    expect([...first.values()]).toEqual([1, 2]);
    expect(second.get("lesson:page:u:0:x")).toBe(1);
    expect(second.get("lesson:page:u:2:x")).toBe(2);
  });

  it("GIVEN a button that appears later on a message THEN it gets a number never used on that message", () => {
    const numbers = new ButtonNumbers();
    numbers.assign("m1", [[button("q:a:0", "A"), button("q:a:1", "B")]]);
    expect(numbers.assign("m1", [[button("q:next", "Next")]]).get("q:next")).toBe(3);
    expect(numbers.assign("m1", [[button("q:a2:0", "A"), button("q:a2:1", "B")]]).get("q:a2:1")).toBe(2);
    expect(numbers.assign("m2", [[button("other", "Next")]]).get("other")).toBe(1);
  });

  it("GIVEN two buttons with one label THEN each keeps its own number", () => {
    const numbers = new ButtonNumbers();
    const shown = numbers.assign("m1", [[button("a", "Go"), button("b", "Go")]]);
    expect([shown.get("a"), shown.get("b")]).toEqual([1, 2]);
  });

  it("GIVEN more messages than it keeps THEN the oldest is forgotten and numbered afresh", () => {
    const numbers = new ButtonNumbers({ maxMessages: 2 });
    numbers.assign("m1", [[button("a", "A"), button("b", "B")]]);
    numbers.assign("m2", [[button("c", "C")]]);
    numbers.assign("m3", [[button("d", "D")]]);
    expect(numbers.assign("m1", [[button("b", "B")]]).get("b")).toBe(1);
  });
});
