import type { Token } from "node-llama-cpp";
import { plainText, renderViewText } from "../../src/ui/richText.ts";

const plainPart = () => "";

import { describe, expect, it } from "vitest";
import { renderNextTokenChart } from "../../src/charts/nextTokenChart.ts";
import type { RenderedChart } from "../../src/charts/rasterizeSvg.ts";
import type { NextTokenSideState, NextTokenWalkState } from "../../src/nexttoken/NextTokenWalk.ts";
import type { NextTokenCandidate } from "../../src/nexttoken/nextTokenDistribution.ts";
import {
  NEXT_TOKEN_CHART_FILE,
  type NextTokenViewModel,
  nextTokenChartInput,
  renderNextToken,
} from "../../src/nexttoken/renderNextToken.ts";
import { discordLimits } from "../../src/ui/discordLimits.ts";
import { fitView } from "../../src/ui/fitView.ts";
import { readPngSize } from "../charts/decodePng.ts";
import { altTextTokens, descriptionOf, listedTokens, sectionOf, textSoFar } from "./readNextTokenView.ts";

function candidate(text: string, probability: number, isSpecial = false): NextTokenCandidate {
  return { token: 0 as Token, text, probability, isSpecial };
}

function side(overrides: Partial<NextTokenSideState>): NextTokenSideState {
  return {
    text: "",
    appendedText: "",
    promptTokens: [],
    neutralizedSpecialTokens: [],
    appendedTokens: [],
    top: [],
    restProbability: 0,
    ended: false,
    ...overrides,
  };
}

const PROMPT = "The capital of France is";
const BASE_TOP = [
  candidate(" Paris", 0.42),
  candidate("\n", 0.2),
  candidate(" the", 0.1),
  candidate("```", 0.05),
];
const IM_END = candidate("<|im_end|>", 0.91, true);

function viewModel(state: Partial<NextTokenWalkState>, extra: Partial<NextTokenViewModel> = {}) {
  const model: NextTokenViewModel = {
    walkId: "w1",
    prompt: PROMPT,
    state: {
      step: 0,
      maxSteps: 64,
      finished: false,
      base: side({ text: PROMPT, top: BASE_TOP }),
      instruct: side({ top: [candidate("Paris", 0.6), candidate("<|im_end|>", 0.05, true)] }),
      ...state,
    },
    modelNames: { base: "SmolLM2-135M", instruct: "SmolLM2-135M-Instruct" },
    temperature: 0,
    seed: 0,
    topK: 10,
    ownerName: "Alice",
    closed: false,
    ...extra,
  };
  return model;
}

async function rendered(model: NextTokenViewModel): Promise<{ chart: RenderedChart; text: string }> {
  const chart = await renderNextTokenChart(nextTokenChartInput(model));
  const view = renderNextToken(model, chart);
  return { chart, text: descriptionOf(view) };
}

describe("renderNextToken (standalone, no model)", () => {
  it("GIVEN step 0 THEN the PNG is attached as the embed image with the chart's size and alt text, and the text lists the chart's tokens visibly", async () => {
    const model = viewModel({});
    const chart = await renderNextTokenChart(nextTokenChartInput(model));
    const view = renderNextToken(model, chart);

    expect(view.ephemeral).toBeFalsy();
    expect(view.embeds?.[0]).toMatchObject({
      title: "Next token · the prompt as given",
      imageFile: NEXT_TOKEN_CHART_FILE,
    });
    const file = view.files?.[0];
    expect(file).toMatchObject({ name: NEXT_TOKEN_CHART_FILE, description: chart.altText });
    expect(readPngSize(file?.data ?? Buffer.alloc(0))).toEqual({ width: chart.width, height: chart.height });
    expect(chart.altText.length).toBeLessThanOrEqual(1024);

    const text = descriptionOf(view);
    expect(listedTokens(text, "base")).toEqual(altTextTokens(chart.altText, "base"));
    expect(listedTokens(text, "instruct")).toEqual(altTextTokens(chart.altText, "instruct"));
    expect(listedTokens(text, "base").map((token) => token.label)).toEqual(["␣Paris", "↵", "␣the", "```"]);
    expect(listedTokens(text, "instruct")[1]).toEqual({ label: "<|im_end|>", percent: "5.0%" });
    // A token made of backticks cannot close the code block early.
    expect(text).toContain("'`\u200b`\u200b`'");
    expect(textSoFar(text, "base")).toBe(PROMPT);
    expect(text).toContain("Reply so far: nothing yet");
    expect(view.embeds?.[0]?.footer).toContain("most likely token (temperature 0)");
    expect(view.buttons?.flat()).toEqual([
      { id: "nexttoken:next:w1", label: "Next token", style: "primary", disabled: false },
      { id: "nexttoken:done:w1", label: "Done", style: "secondary", disabled: false },
    ]);
  });

  it("GIVEN the instruct side appended <|im_end|> THEN the text and the chart say it ended its turn, and the base panel names its own token", async () => {
    const model = viewModel({
      step: 3,
      base: side({
        text: `${PROMPT} Paris.\n`,
        appendedText: " Paris.\n",
        appended: candidate("\n", 0.3),
        top: BASE_TOP,
      }),
      instruct: side({
        text: "…",
        appendedText: "Paris<|im_end|>",
        appendedTokens: [candidate("Paris", 0.6), IM_END],
        appended: IM_END,
        ended: true,
      }),
    });
    const { chart, text } = await rendered(model);

    expect(text).toContain("The instruct model ended its turn with `<|im_end|>` (it had 91.0%).");
    expect(listedTokens(text, "instruct")).toEqual([]);
    expect(textSoFar(text, "instruct")).toBe("Paris<|im_end|>");
    expect(textSoFar(text, "base")).toBe(`${PROMPT} Paris.\n`);
    expect(text).toContain("Paris.↵\n");
    const input = nextTokenChartInput(model);
    expect(input.step).toBe(3);
    expect(input.base).toMatchObject({
      modelName: "SmolLM2-135M",
      appended: { text: "\n", isSpecial: false },
    });
    expect(input.base.ended).toBeFalsy();
    expect(input.instruct).toMatchObject({
      modelName: "SmolLM2-135M-Instruct",
      appended: { text: "<|im_end|>", isSpecial: true },
      ended: true,
    });
    expect(chart.altText).toContain("(step 3). Base model (raw text), which appended “↵”: “␣Paris” 42.0%");
    expect(chart.altText).toContain(
      "Instruct model (chat template), which ended with “<|im_end|>”: no next token.",
    );
  });

  it("GIVEN steps after the instruct side ended THEN its panel still says what it ended with", () => {
    const model = viewModel({
      step: 5,
      base: side({ text: PROMPT, appended: candidate(" the", 0.1), top: BASE_TOP }),
      instruct: side({ appendedTokens: [candidate("Paris", 0.6), IM_END], ended: true }),
    });
    expect(nextTokenChartInput(model).instruct).toMatchObject({
      appended: { text: "<|im_end|>", isSpecial: true },
      ended: true,
    });
  });

  it("GIVEN step 0 THEN neither panel names an appended token", () => {
    const input = nextTokenChartInput(viewModel({}));
    expect(input.step).toBe(0);
    expect(input.base.appended).toBeUndefined();
    expect(input.instruct.appended).toBeUndefined();
  });

  it("GIVEN the member typed control tokens THEN the instruct section says they were read as plain text, each named once", async () => {
    const typed = ["<|im_end|>", "<|im_start|>", "<|im_end|>"];
    const { text } = await rendered(viewModel({ instruct: side({ neutralizedSpecialTokens: typed }) }));
    expect(sectionOf(text, "instruct")).toContain(
      "You typed `<|im_end|>` and `<|im_start|>`: the model read them as plain text, not as control tokens. Only the chat template writes control tokens",
    );
    const one = await rendered(viewModel({ instruct: side({ neutralizedSpecialTokens: ["</s>"] }) }));
    expect(one.text).toContain(
      "You typed `</s>`: the model read it as plain text, not as the control token.",
    );
    expect((await rendered(viewModel({}))).text).not.toContain("You typed");
  });

  it("GIVEN the step limit THEN Next token is off and the text says why; GIVEN Done THEN both buttons are off", async () => {
    const limit = viewModel({ step: 64, finished: true });
    const { chart } = await rendered(limit);
    const view = renderNextToken(limit, chart);
    expect(descriptionOf(view)).toContain("Step limit reached");
    expect(view.buttons?.flat().map((button) => button.disabled)).toEqual([true, false]);

    const done = renderNextToken({ ...limit, closed: true }, chart);
    expect(descriptionOf(done)).toContain("This walk is closed");
    expect(done.buttons?.flat().map((button) => button.disabled)).toEqual([true, true]);
  });

  it("GIVEN a temperature THEN the footer says Next token samples, with the seed", async () => {
    const { chart } = await rendered(viewModel({}));
    const view = renderNextToken(viewModel({}, { temperature: 0.8, seed: 1234 }), chart);
    expect(view.embeds?.[0]?.footer).toContain("samples each model's token at temperature 0.8 (seed 1234)");
  });

  it("GIVEN 20 long tokens per side and a long text THEN the embed fits Discord's limits without being cut", async () => {
    const long = Array.from({ length: 20 }, (_, index) =>
      candidate(` token-${"x".repeat(40)}-${index}`, 0.04),
    );
    const model = viewModel({
      base: side({ text: "word ".repeat(300), top: long }),
      instruct: side({ appendedText: "reply ".repeat(200), top: long }),
    });
    const { chart } = await rendered(model);
    const view = renderNextToken(model, chart);
    const embed = view.embeds?.[0];
    expect(embed?.description?.length).toBeLessThanOrEqual(discordLimits.embedDescription);
    expect(fitView(renderViewText(view, plainPart)).embeds?.[0]?.description).toBe(
      plainText(embed?.description ?? ""),
    );
    expect(listedTokens(descriptionOf(view), "base")).toHaveLength(20);
    expect(chart.altText.length).toBeLessThanOrEqual(1024);
  });
});
