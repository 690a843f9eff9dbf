import type { StopReason } from "../llm/generate.ts";
import { escapeCodeFence } from "../text/escapeCodeFence.ts";
import { truncate } from "../text/truncate.ts";
import { discordLimits } from "../ui/discordLimits.ts";
import { joinRichText } from "../ui/richText.ts";
import type { RichText, View, ViewButton, ViewColor, ViewEmbed } from "../ui/view.ts";
import type { CompareSideKey } from "./CompareSideKey.ts";
import { compareButtons } from "./compareButtons.ts";

export interface GenerationStatsView {
  tokens: number;
  tokensPerSecond: number;
  timeToFirstTokenMs: number | null;
  stopReason: StopReason;
}

/** One column of a comparison as it should be shown right now. */
export interface CompareSideView {
  key: CompareSideKey;
  /** Heading, e.g. "Base · SmolLM2-135M". In a blind vote: "Reply A". */
  label: string;
  text: string;
  state: "waiting" | "running" | "done";
  stats?: GenerationStatsView;
  error?: string;
}

export interface CompareViewModel {
  runId: string;
  prompt: string;
  sides: CompareSideView[];
  sampling: { temperature: number; topP: number; seed: number; maxTokens: number };
  /** Place in the generation queue while waiting (1 = next). */
  queuePosition?: number;
  finished: boolean;
  /** Extra buttons (blind vote), placed on a second row. */
  extraButtons?: ViewButton[];
  /** A line under the prompt (e.g. blind-vote instructions or results). */
  note?: RichText;
  /** Show prompts is disabled (a blind vote before its reveal: the prompts would give it away). */
  promptsHidden?: boolean;
}

const stopReasonText: Record<StopReason, string> = {
  "end-of-turn": "end of turn",
  "max-tokens": "max tokens",
  "context-full": "context full",
  "time-limit": "time limit",
  stopped: "stopped by the user",
  restarting: "the bot is restarting",
};

const sideColor: Record<CompareSideKey, ViewColor> = {
  base: "base",
  instruct: "instruct",
  "instruct-raw": "warning",
};

export function describeStats(stats: GenerationStatsView): string {
  const parts = [
    `${stats.tokens} ${stats.tokens === 1 ? "token" : "tokens"}`,
    `${stats.tokensPerSecond.toFixed(1)} tok/s`,
    stats.timeToFirstTokenMs === null
      ? "no tokens"
      : `first token ${Math.round(stats.timeToFirstTokenMs)} ms`,
    `ended: ${stopReasonText[stats.stopReason]}`,
  ];
  return parts.join(" · ");
}

/** The text of one column, fitted to one embed field with a visible note when cut. */
function sideValue(side: CompareSideView, queuePosition: number | undefined): string {
  const footer =
    side.error !== undefined
      ? `⚠️ ${side.error}`
      : side.stats
        ? describeStats(side.stats)
        : side.state === "waiting"
          ? queuePosition !== undefined
            ? `queued · position ${queuePosition}`
            : "waiting…"
          : side.state === "done"
            ? "done" // a blind vote hides the stats until the reveal
            : "generating…";
  const cursor = side.state === "running" ? "▌" : "";
  const body = escapeCodeFence(side.text);
  const budget = discordLimits.fieldValue - footer.length - 16;
  let shown = body;
  if (body.length + cursor.length > budget) {
    const kept = truncate(body, Math.max(0, budget - 40), "");
    shown = `${kept}\n… [${body.length - kept.length} more characters not shown]`;
  }
  const content = shown.length > 0 || cursor ? `${shown}${cursor}` : " ";
  return `\`\`\`\n${content}\n\`\`\`\n${footer}`;
}

/**
 * The one message `/compare` posts and keeps editing: the prompt, then one column per model
 * (inline fields, so they sit side by side on desktop), stats when done, the sampling settings in
 * the footer, and the Show prompts / Re-roll / Stop buttons.
 */
export function renderCompare(model: CompareViewModel): View {
  const { temperature, topP, seed, maxTokens } = model.sampling;
  const embed: ViewEmbed = {
    title: "Base vs instruct",
    description: joinRichText(
      `**Prompt**\n${model.prompt
        .split("\n")
        .map((line) => `> ${line}`)
        .join("\n")}`,
      ...(model.note ? ["\n\n", model.note] : []),
    ),
    color: model.sides.length === 1 ? sideColor[model.sides[0]?.key ?? "base"] : "brand",
    fields: model.sides.map((side) => ({
      name: side.label,
      value: sideValue(side, model.queuePosition),
      inline: true,
    })),
    footer: `temperature ${temperature} · top-p ${topP} · seed ${seed} · max ${maxTokens} tokens · same settings on every side`,
  };
  const buttons: ViewButton[][] = [
    [
      {
        id: compareButtons.encode({ action: "prompts", runId: model.runId }),
        label: "Show prompts",
        style: "secondary",
        disabled: model.promptsHidden ?? false,
      },
      {
        id: compareButtons.encode({ action: "reroll", runId: model.runId }),
        label: "Re-roll",
        style: "primary",
        disabled: !model.finished,
      },
      {
        id: compareButtons.encode({ action: "stop", runId: model.runId }),
        label: "Stop",
        style: "danger",
        disabled: model.finished,
      },
    ],
  ];
  if (model.extraButtons?.length) buttons.push(model.extraButtons);
  return { embeds: [embed], buttons };
}
