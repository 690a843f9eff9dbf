import { formatPercent } from "../charts/formatPercent.ts";
import type { NextTokenChartInput, NextTokenPanel } from "../charts/nextTokenChart.ts";
import type { RenderedChart } from "../charts/rasterizeSvg.ts";
import { renderTextBars } from "../charts/textBars.ts";
import { visibleToken } from "../charts/visibleToken.ts";
import { escapeCodeFence } from "../text/escapeCodeFence.ts";
import type { View, ViewSelect } from "../ui/view.ts";
import type { NextTokenSideName } from "./NextTokenSideName.ts";
import type { NextTokenSideState, NextTokenWalkState } from "./NextTokenWalk.ts";
import { nextTokenButtons } from "./nextTokenButtons.ts";

/** What one `/nexttoken` message shows. */
export interface NextTokenViewModel {
  /** Goes into the button ids. */
  walkId: string;
  /** The member's prompt as typed: the base model's raw text, the instruct model's user message. */
  prompt: string;
  state: NextTokenWalkState;
  modelNames: Record<NextTokenSideName, string>;
  /** 0: Next token appends each model's most likely token; above 0 it samples at this temperature. */
  temperature: number;
  /** Seed of the sampled steps; shown when {@link temperature} is above 0. */
  seed: number;
  /** Candidates listed per model. */
  topK: number;
  /** Who may press the buttons, by display name (never a mention). */
  ownerName: string;
  /** Done was pressed: every button is off. */
  closed: boolean;
}

/** File name of the chart attachment; the playground overwrites one file of this name per step. */
export const NEXT_TOKEN_CHART_FILE = "nexttoken.png";

/** Text bars per line: 20 rows of two models stay well inside Discord's 4,096-character description. */
const TEXT_BAR_WIDTH = 48;
/** The end of a long text matters most: the token that comes next continues it. */
const SO_FAR_CHARS = 300;
/** Distinct control tokens named in the note about typed ones. */
const MAX_TYPED_SHOWN = 3;

const SIDES = {
  base: { title: "Base model", how: "raw text", soFar: "Text so far" },
  instruct: { title: "Instruct model", how: "inside its chat template", soFar: "Reply so far" },
} as const satisfies Record<NextTokenSideName, unknown>;

/** The custom id of a `/nexttoken` button. */
export function nextTokenButtonId(action: "next" | "done", walkId: string): string {
  return nextTokenButtons.encode({ action, walkId });
}

/** What the PNG chart draws for this state; the text of {@link renderNextToken} lists the same tokens. */
export function nextTokenChartInput(model: NextTokenViewModel): NextTokenChartInput {
  const panel = (name: NextTokenSideName): NextTokenPanel => {
    const side = model.state[name];
    const ending = endingToken(side);
    // An ended side keeps naming the token it ended with; the other names this step's token.
    const appended = ending ?? side.appended;
    return {
      tokens: side.top.map(({ text, probability, isSpecial }) => ({ text, probability, isSpecial })),
      modelName: model.modelNames[name],
      ...(appended && { appended: { text: appended.text, isSpecial: appended.isSpecial } }),
      ...(ending && { ended: true }),
    };
  };
  return {
    prompt: model.prompt,
    base: panel("base"),
    instruct: panel("instruct"),
    step: model.state.step,
  };
}

/**
 * The walk as a public message: the chart as the embed image (its alt text as the attachment
 * description), each model's text so far and top tokens as text bars (the same numbers, for screen
 * readers and the terminal), what ended and why, and the Next token / Done buttons.
 */
export function renderNextToken(model: NextTokenViewModel, chart: RenderedChart): View {
  const { state } = model;
  const notes: string[] = [];
  if (model.closed) notes.push("**Done.** This walk is closed; run `/nexttoken` to start another.");
  else if (state.base.ended && state.instruct.ended)
    notes.push("**Both models have ended.** Nothing is left to add.");
  else if (state.finished)
    notes.push(
      `**Step limit reached:** a walk stops after ${state.maxSteps} tokens. Run \`/nexttoken\` again to explore further.`,
    );
  const description = [
    ...(["base", "instruct"] as const).map((name) => sideSection(model, name)),
    ...notes,
  ].join("\n\n");
  const nextDisabled = model.closed || state.finished;
  return {
    embeds: [
      {
        title:
          state.step === 0
            ? "Next token · the prompt as given"
            : `Next token · step ${state.step} of ${state.maxSteps}`,
        description,
        footer: footer(model),
        color: model.closed ? "neutral" : "brand",
        imageFile: NEXT_TOKEN_CHART_FILE,
      },
    ],
    files: [{ name: NEXT_TOKEN_CHART_FILE, data: chart.png, description: chart.altText }],
    selects: nextDisabled
      ? []
      : (["base", "instruct"] as const).flatMap((name) => candidateMenu(model, name)),
    buttons: [
      [
        {
          id: nextTokenButtonId("next", model.walkId),
          label: "Next token",
          style: "primary",
          disabled: nextDisabled,
        },
        {
          id: nextTokenButtonId("done", model.walkId),
          label: "Done",
          style: "secondary",
          disabled: model.closed,
        },
      ],
    ],
  };
}

/** A menu of one model's shown candidates, so the room can continue with any of them. */
function candidateMenu(model: NextTokenViewModel, name: NextTokenSideName): ViewSelect[] {
  const side = model.state[name];
  if (side.ended || side.top.length === 0) return [];
  return [
    {
      id: nextTokenButtons.encode({ action: "pick", walkId: model.walkId, side: name }),
      placeholder: `${SIDES[name].title}: continue with any candidate…`,
      options: side.top.map((candidate) => ({
        label: `${candidate.isSpecial ? candidate.text : visibleToken(candidate.text)} · ${formatPercent(candidate.probability)}`,
        value: String(candidate.token),
      })),
    },
  ];
}

function sideSection(model: NextTokenViewModel, name: NextTokenSideName): string {
  const side = model.state[name];
  const labels = SIDES[name];
  const lines = [`**${labels.title}** · ${labels.how} · ${model.modelNames[name]}`];
  if (name === "instruct" && side.neutralizedSpecialTokens.length > 0) {
    lines.push(typedControlTokensNote(side.neutralizedSpecialTokens));
  }
  const soFar = name === "base" ? side.text : side.appendedText;
  if (soFar === "") {
    lines.push(`${labels.soFar}: nothing yet (the template ends by opening the assistant's turn).`);
  } else {
    lines.push(`${labels.soFar}:`, codeBlock(shownText(soFar)));
  }
  const ending = endingToken(side);
  if (ending) {
    const what = name === "instruct" ? "ended its turn" : "ended the text";
    lines.push(
      `The ${name} model ${what} with ${inlineCode(visibleToken(ending.text, { isSpecial: ending.isSpecial }))} (it had ${formatPercent(ending.probability)}).`,
    );
  } else {
    lines.push("Next token:", codeBlock(renderTextBars(side.top, TEXT_BAR_WIDTH)));
  }
  return lines.join("\n");
}

/**
 * Why typing `<|im_end|>` did not end the turn: the members most likely to type one are exploring
 * exactly that. At most {@link MAX_TYPED_SHOWN} are named, so the note stays short.
 */
function typedControlTokensNote(typed: readonly string[]): string {
  const distinct = [...new Set(typed)];
  const named = distinct.slice(0, MAX_TYPED_SHOWN).map(inlineCode);
  const list =
    distinct.length > MAX_TYPED_SHOWN
      ? `${named.join(", ")}, …`
      : named.length === 1
        ? named.join("")
        : `${named.slice(0, -1).join(", ")} and ${named.at(-1)}`;
  const them =
    distinct.length === 1
      ? "it as plain text, not as the control token"
      : "them as plain text, not as control tokens";
  return `You typed ${list}: the model read ${them}. Only the chat template writes control tokens, so a prompt cannot end its own turn or start another.`;
}

function footer(model: NextTokenViewModel): string {
  const how =
    model.temperature === 0
      ? "Next token adds each model's most likely token (temperature 0)"
      : `Next token samples each model's token at temperature ${model.temperature} (seed ${model.seed})`;
  return [how, `top ${model.topK}`, "␣ space · ↵ newline", `buttons: ${model.ownerName}`].join(" · ");
}

/** The end-of-generation token a side appended, once it has ended. */
function endingToken(side: NextTokenSideState) {
  return side.ended ? side.appendedTokens.at(-1) : undefined;
}

/** Newlines stay line breaks but are marked, so a trailing one is seen. */
function shownText(text: string): string {
  const chars = [...text];
  const cut = chars.length > SO_FAR_CHARS ? `…${chars.slice(-SO_FAR_CHARS).join("")}` : text;
  return cut.replace(/\n/g, "↵\n");
}

/** A code block whose text cannot close it early. */
function codeBlock(text: string): string {
  return `\`\`\`\n${escapeCodeFence(text)}\n\`\`\``;
}

function inlineCode(text: string): string {
  return text.includes("`") ? `\`\` ${text} \`\`` : `\`${text}\``;
}
