import { describe, expect, it } from "vitest";
import { type CompareSideView, renderCompare } from "../../src/compare/renderCompare.ts";
import { plainText } from "../../src/ui/richText.ts";

const sampling = { temperature: 0.7, topP: 0.95, seed: 7, maxTokens: 50 };

function footers(sides: CompareSideView[], queuePosition?: number): string[] {
  const view = renderCompare({ runId: "r1", prompt: "Hi", sides, sampling, finished: false, queuePosition });
  return (view.embeds?.[0]?.fields ?? []).map((field) => plainText(field.value).split("\n```\n")[1] ?? "");
}

describe("renderCompare", () => {
  it("GIVEN each state of a side THEN the line under its reply says where it is", () => {
    expect(
      footers(
        [
          { key: "base", label: "Base", text: "", state: "waiting" },
          { key: "instruct", label: "Instruct", text: "", state: "waiting" },
        ],
        2,
      ),
    ).toEqual(["queued · position 2", "queued · position 2"]);
    expect(
      footers([
        { key: "base", label: "Base", text: "Once", state: "running" },
        {
          key: "instruct",
          label: "Instruct",
          text: "Hello!",
          state: "done",
          stats: { tokens: 3, tokensPerSecond: 41.25, timeToFirstTokenMs: 12.4, stopReason: "end-of-turn" },
        },
      ]),
    ).toEqual(["generating…", "3 tokens · 41.3 tok/s · first token 12 ms · ended: end of turn"]);
  });

  it("GIVEN a finished side whose stats are hidden (blind vote) THEN it says done, not generating", () => {
    expect(
      footers([
        { key: "base", label: "Reply A", text: "lalala", state: "done" },
        { key: "instruct", label: "Reply B", text: "Hi!", state: "done" },
      ]),
    ).toEqual(["done", "done"]);
  });
});
