import { describe, expect, it } from "vitest";
import { renderRichText } from "../../src/playground/renderRichText.ts";
import { type TerminalStyle, terminalStyle } from "../../src/playground/terminalStyle.ts";
import { VirtualTerminal } from "./VirtualTerminal.ts";

const now = new Date("2026-03-01T12:00:00Z");
const colour: TerminalStyle = terminalStyle(new VirtualTerminal(), true);
const plain: TerminalStyle = terminalStyle(new VirtualTerminal(), false);
const italic = (text: string) => `\x1b[3m${text}\x1b[23m`;
const bold = (text: string) => `\x1b[1m${text}\x1b[22m`;

describe("renderRichText", () => {
  it("GIVEN moment and member parts THEN shows the time relative to the injected clock and the member's name", () => {
    const text = [
      "Vote closes ",
      { kind: "moment", at: new Date(now.getTime() + 42_000) },
      "; started by ",
      { kind: "member", id: "123456789012345678", name: "alice" },
      " ",
      { kind: "moment", at: new Date(now.getTime() - 12_000) },
    ] as const;
    expect(renderRichText(text, { style: plain, now })).toBe(
      "Vote closes in 42 s; started by alice 12 s ago",
    );
  });

  it("GIVEN italics and bold with colour on THEN they become ANSI italics and bold", () => {
    expect(renderRichText("an *important* _idea_ in **bold**", { style: colour, now })).toBe(
      `an ${italic("important")} ${italic("idea")} in ${bold("bold")}`,
    );
  });

  it("GIVEN italics and bold with colour off THEN the markers go and the words stay", () => {
    expect(renderRichText("an *important* _idea_ in **bold**", { style: plain, now })).toBe(
      "an important idea in bold",
    );
  });

  it("GIVEN stars and underscores that are not emphasis THEN they are kept as written", () => {
    const text = "2*3 = 6, a * b * c, snake_case_name, `*code*` and 5 * *x*";
    expect(renderRichText(text, { style: plain, now })).toBe(
      "2*3 = 6, a * b * c, snake_case_name, `*code*` and 5 * x",
    );
  });

  it("GIVEN emphasis around a moment part THEN the moment is styled too, and a member's name is never read as Markdown", () => {
    const text = [
      "**Closes ",
      { kind: "moment", at: new Date(now.getTime() + 180_000) },
      "** for ",
      { kind: "member", id: "1", name: "*star*" },
    ] as const;
    expect(renderRichText(text, { style: colour, now })).toBe(`${bold("Closes in 3 min")} for *star*`);
  });

  it("GIVEN a code fence THEN it becomes a thin rule and the code inside keeps its stars", () => {
    expect(renderRichText("```js\nconst x = 2 *a* 3;\n```", { style: plain, now })).toBe(
      "┈┈┈\nconst x = 2 *a* 3;\n┈┈┈",
    );
  });
});
