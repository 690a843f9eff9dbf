import { describe, expect, it } from "vitest";
import { ButtonCodec } from "../../src/ui/buttonCodec.ts";

const codec = new ButtonCodec("demo", {
  page: { ownerId: "text", index: "int", lessonId: "text" },
  answer: { ownerId: "text", questionId: "rest" },
  stop: { runId: "text" },
});

describe("ButtonCodec", () => {
  it("GIVEN a button THEN encoding then decoding gives it back, typed", () => {
    const id = codec.encode({ action: "page", ownerId: "42", index: 3, lessonId: "base-models" });
    expect(id).toBe("demo:page:42:3:base-models");
    expect(codec.decode(id)).toEqual({ action: "page", ownerId: "42", index: 3, lessonId: "base-models" });
  });

  it("GIVEN a rest field THEN it may hold colons and comes back whole", () => {
    const id = codec.encode({ action: "answer", ownerId: "7", questionId: "track/lesson:q:2" });
    expect(codec.decode(id)).toEqual({ action: "answer", ownerId: "7", questionId: "track/lesson:q:2" });
  });

  it.each([
    ["another prefix", "other:stop:abc"],
    ["an unknown action", "demo:jump:abc"],
    ["a missing field", "demo:page:42:3"],
    ["an extra segment", "demo:stop:abc:extra"],
    ["a non-numeric int", "demo:page:42:x:base-models"],
    ["an empty field", "demo:stop:"],
    ["an inherited property name as action", "demo:toString:abc"],
  ])("GIVEN %s THEN decoding gives undefined (the feature says the button is out of date)", (_, id) => {
    expect(codec.decode(id)).toBeUndefined();
  });

  it("GIVEN a text field with a colon or an id over 100 characters THEN encoding refuses", () => {
    expect(() => codec.encode({ action: "stop", runId: "a:b" })).toThrow(RangeError);
    expect(() => codec.encode({ action: "stop", runId: "x".repeat(100) })).toThrow(/longer than 100/);
  });

  it("GIVEN a rest field that is not last THEN the codec cannot be built", () => {
    expect(() => new ButtonCodec("bad", { act: { a: "rest", b: "text" } })).toThrow(/only the last field/);
  });
});
