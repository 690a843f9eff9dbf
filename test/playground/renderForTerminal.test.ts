import { describe, expect, it } from "vitest";
import { renderForTerminal } from "../../src/playground/renderForTerminal.ts";
import { terminalStyle } from "../../src/playground/terminalStyle.ts";
import type { View } from "../../src/ui/view.ts";
import { VirtualTerminal } from "./VirtualTerminal.ts";

const now = new Date("2026-03-01T12:00:00Z");
const style = terminalStyle(new VirtualTerminal(), false);
const alice = { kind: "member", id: "123456789012345678", name: "alice" } as const;
const inAMinute = { kind: "moment", at: new Date(now.getTime() + 60_000) } as const;

describe("renderForTerminal", () => {
  it("GIVEN neutral rich text in content, description, field and footer THEN every one shows names and relative times", () => {
    const view: View = {
      content: ["Started by ", alice],
      embeds: [
        {
          title: "Blind vote",
          description: ["Voting closes ", inAMinute, "."],
          fields: [{ name: "Votes", value: [alice, " voted *A*"], inline: true }],
          footer: ["Opened by ", alice],
        },
      ],
    };
    expect(renderForTerminal(view, { style, now }).text).toBe(
      [
        "Started by alice",
        "┌─ Blind vote",
        "│ Voting closes in 1 min.",
        "│",
        "│ Votes: alice voted A",
        "└─ Opened by alice",
      ].join("\n"),
    );
  });

  it("GIVEN text that looks like Discord markup THEN it is shown as written, not parsed back", () => {
    const view: View = { embeds: [{ description: "Say <@123> at <t:1700000000:R>" }] };
    expect(renderForTerminal(view, { style, now }).text).toContain("│ Say <@123> at <t:1700000000:R>");
  });

  it("GIVEN buttons THEN enabled ones show their number, disabled ones [-], and both are returned with numbers", () => {
    const view: View = {
      buttons: [
        [
          { id: "p", label: "Previous", disabled: true },
          { id: "n", label: "Next" },
        ],
      ],
    };
    const rendered = renderForTerminal(view, {
      style,
      now,
      numberButtons: () =>
        new Map([
          ["p", 4],
          ["n", 7],
        ]),
    });
    expect(rendered.text).toBe("[-] Previous  [7] Next");
    expect(rendered.buttons.map(({ number, button }) => [number, button.id])).toEqual([
      [4, "p"],
      [7, "n"],
    ]);
  });
  it("GIVEN who alone sees a message THEN labels it with their name, and a public view is not labelled", () => {
    const view: View = { content: "Locked in: B", ephemeral: true };
    expect(renderForTerminal(view, { style, now }).text).toBe("(only you can see this)\nLocked in: B");
    expect(renderForTerminal(view, { style, now, privateTo: "you" }).text).toBe(
      "(only you can see this)\nLocked in: B",
    );
    expect(renderForTerminal(view, { style, now, privateTo: "bob" }).text).toBe(
      "(only bob sees this)\nLocked in: B",
    );
    // An update of a private message may not repeat `ephemeral`: the label comes from who sees it.
    expect(renderForTerminal({ content: "Next" }, { style, now, privateTo: "bob" }).text).toBe(
      "(only bob sees this)\nNext",
    );
    expect(renderForTerminal({ content: "Question 1" }, { style, now }).text).toBe("Question 1");
  });

  it("GIVEN a member known only by id THEN memberName names them, and unknown ids keep the part's name", () => {
    const view: View = {
      content: [{ kind: "member", id: "playground-bob", name: "playground-bob" }, " and ", alice],
    };
    const memberName = (id: string) => (id === "playground-bob" ? "bob" : undefined);
    expect(renderForTerminal(view, { style, now, memberName }).text).toBe("bob and alice");
  });
});
