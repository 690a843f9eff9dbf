import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { readPressedChoice } from "../../src/playground/menuOptionButtons.ts";
import { renderForTerminal } from "../../src/playground/renderForTerminal.ts";
import { terminalStyle } from "../../src/playground/terminalStyle.ts";
import type { View } from "../../src/ui/view.ts";

const view: View = {
  content: "Pick the next token",
  buttons: [[{ id: "nexttoken:next:w1", label: "Next token" }]],
  selects: [
    {
      id: "nexttoken:pick:w1:base",
      placeholder: "Base model: continue with any candidate…",
      options: [
        { label: "␣the · 40%", value: "12" },
        { label: "␣a · 20%", value: "34" },
      ],
    },
  ],
};

describe("menus in the terminal", () => {
  it("GIVEN a menu THEN each option is a numbered choice under the menu's placeholder, after the buttons", () => {
    const rendered = renderForTerminal(view, {
      style: terminalStyle(new PassThrough(), false),
      now: new Date(),
    });
    expect(rendered.text.split("\n").slice(-3)).toEqual([
      "[1] Next token",
      "Base model: continue with any candidate…",
      "[2] ␣the · 40%  [3] ␣a · 20%",
    ]);
    expect(rendered.buttons.map((entry) => entry.number)).toEqual([1, 2, 3]);
  });

  it("GIVEN a numbered option pressed THEN it stands for the menu's id with that option's value; a button picks nothing", () => {
    const rendered = renderForTerminal(view, {
      style: terminalStyle(new PassThrough(), false),
      now: new Date(),
    });
    const [button, first, second] = rendered.buttons.map((entry) => readPressedChoice(entry.button.id));
    expect(button).toEqual({ customId: "nexttoken:next:w1", values: [] });
    expect(first).toEqual({ customId: "nexttoken:pick:w1:base", values: ["12"] });
    expect(second).toEqual({ customId: "nexttoken:pick:w1:base", values: ["34"] });
  });
});
