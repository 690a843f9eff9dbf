import { describe, expect, it } from "vitest";
import { escapeXml } from "../../src/charts/escapeXml.ts";
import { formatPercent } from "../../src/charts/formatPercent.ts";
import { visibleToken } from "../../src/charts/visibleToken.ts";

describe("visibleToken", () => {
  it.each([
    [" the", "␣the"],
    ["\n", "↵"],
    ["\n\n", "↵↵"],
    ["\t", "⇥"],
    ["  x", "␣␣x"],
    [" end\n", "␣end↵"],
    ["\r\n", "<0x0D>↵"],
    ["\u0000", "<0x00>"],
    ["\u001b[0m", "<0x1B>[0m"],
    ["\u007f", "<0x7F>"],
    ["\u0085", "<0x85>"],
    ["\u200b", "<U+200B>"],
    ["a\u00a0b", "a<U+00A0>b"],
    ["\u202e", "<U+202E>"],
    ["\ufeff", "<U+FEFF>"],
    ["", "<empty>"],
    ["café", "café"],
    ["\u0301", "◌\u0301"],
    ["你好", "你好"],
    ["\ufffd", "\ufffd"],
  ])("GIVEN %j THEN shows %j", (text, shown) => {
    expect(visibleToken(text)).toBe(shown);
  });

  it("GIVEN a special token THEN it is left exactly as written", () => {
    expect(visibleToken("<|im_end|>", { isSpecial: true })).toBe("<|im_end|>");
    expect(visibleToken("<|im_start|>", { isSpecial: true })).toBe("<|im_start|>");
  });

  it("GIVEN characters the fonts cannot draw THEN they are shown by code point", () => {
    const latinOnly = (codePoint: number) => codePoint < 0x250;
    expect(visibleToken(" 你好", { canRender: latinOnly })).toBe("␣<U+4F60><U+597D>");
    expect(visibleToken("😀", { canRender: latinOnly })).toBe("<U+1F600>");
  });
});

describe("escapeXml", () => {
  it("GIVEN markup characters THEN escapes all five", () => {
    expect(escapeXml(`<a href="x">Tom & 'Jerry'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;",
    );
  });

  it("GIVEN an already escaped entity THEN escapes it again, so it is drawn literally", () => {
    expect(escapeXml("&amp;")).toBe("&amp;amp;");
  });

  it("GIVEN characters XML forbids THEN replaces them so the document stays valid", () => {
    expect(escapeXml("a\u0000b\u001fc\uffff")).toBe("a\ufffdb\ufffdc\ufffd");
    expect(escapeXml("\ud800")).toBe("\ufffd");
    expect(escapeXml("tab\tnewline\n")).toBe("tab\tnewline\n");
  });
});

describe("formatPercent", () => {
  it.each([
    [0.4213, "42.1%"],
    [1, "100.0%"],
    [0, "0.0%"],
    [0.0004, "<0.1%"],
    [0.0005, "0.1%"],
  ])("GIVEN %d THEN %s", (probability, shown) => {
    expect(formatPercent(probability)).toBe(shown);
  });
});
