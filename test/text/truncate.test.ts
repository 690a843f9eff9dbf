import { describe, expect, it } from "vitest";
import { escapeCodeFence } from "../../src/text/escapeCodeFence.ts";
import { truncate } from "../../src/text/truncate.ts";

describe("truncate", () => {
  it("GIVEN text that fits THEN it is returned as is", () => {
    expect(truncate("hello", 5)).toBe("hello");
  });

  it("GIVEN text too long THEN it is cut to the limit, ellipsis included", () => {
    expect(truncate("hello world", 6)).toBe("hello…");
  });

  it("GIVEN a cut that would fall inside an emoji THEN the whole emoji goes, never half of it", () => {
    const cut = truncate("abcd😀efg", 6);
    expect(cut).toBe("abcd…");
    expect(cut.charCodeAt(cut.length - 2)).toBe("d".charCodeAt(0));
  });

  it("GIVEN a limit shorter than the ellipsis THEN the text is cut without it, still whole", () => {
    expect(truncate("😀😀", 3, "...")).toBe("😀");
  });
});

describe("escapeCodeFence", () => {
  it("GIVEN three backticks THEN zero-width spaces keep them from closing a code block", () => {
    expect(escapeCodeFence("a```b")).toBe("a`\u200b`\u200b`b");
  });
});
