import { truncate } from "../text/truncate.ts";
import { discordLimits } from "../ui/discordLimits.ts";
import type { View } from "../ui/view.ts";
import type { PairStatusReport, SideLocation, SideStatus } from "./PairStatusReport.ts";

const stateLabels: Record<SideStatus["state"], string> = {
  ready: "🟢 ready",
  loading: "🟡 loading",
  downloading: "🟡 downloading",
  unloaded: "⚪ not loaded",
  missing: "🔴 missing",
  failed: "🔴 failed",
  misconfigured: "🔴 misconfigured",
  unreachable: "🔴 unreachable",
};

function describeLocation(location: SideLocation): string {
  if (location.kind === "server") return `server \`${location.engine}\` (${location.url})`;
  const device =
    location.device === "auto"
      ? "CPU or GPU (auto)"
      : location.device === "gpu"
        ? `GPU${location.gpuName ? ` ${location.gpuName}` : ""}`
        : "CPU";
  return `in-process, ${device}`;
}

function describeSide(side: SideStatus): string {
  const speed =
    side.recentTokensPerSecond !== undefined ? ` · ${side.recentTokensPerSecond.toFixed(1)} tok/s` : "";
  const detail = side.detail ? ` — ${truncate(side.detail, 200)}` : "";
  return `**${side.role}** ${stateLabels[side.state]}${speed}${detail}\n${describeLocation(side.location)} · \`${truncate(side.source, 150)}\``;
}

/** One line per side, where the full form would not fit: the state, speed, problem and server. */
function describeSideBriefly(side: SideStatus): string {
  const speed =
    side.recentTokensPerSecond !== undefined ? ` · ${side.recentTokensPerSecond.toFixed(1)} tok/s` : "";
  const where =
    side.location.kind === "server" ? `\`${side.location.engine}\`` : describeLocation(side.location);
  const problem = side.state !== "ready" && side.detail ? ` — ${truncate(side.detail, 80)}` : "";
  return `**${side.role}** ${stateLabels[side.state]}${speed} · ${where}${problem}`;
}

/** Discord allows 25 fields per embed; beyond that, pairs are summed up in the footer. */
const MAX_FIELDS = 25;
const TITLE = "Model pairs";

/**
 * The `/status` reply: one field per pair, the default pair first; only the asker sees it. All
 * fields share Discord's 6,000 characters per embed, so with many pairs each side takes one line
 * (its server by name), and only then is each field cut to an equal share.
 */
export function renderPairStatus(reports: readonly PairStatusReport[]): View {
  const ordered = [
    ...reports.filter((report) => report.isDefault),
    ...reports.filter((report) => !report.isDefault),
  ];
  const shown = ordered.slice(0, MAX_FIELDS);
  const hidden = reports.length - shown.length;
  const footer = hidden > 0 ? `…and ${hidden} more pairs` : undefined;
  const names = shown.map((report) =>
    truncate(`${report.label} (${report.pairId})${report.isDefault ? " · default" : ""}`, 256),
  );
  const values = (describe: (side: SideStatus) => string) =>
    shown.map((report) => {
      const queue = `queue: ${report.queue.running} running, ${report.queue.waiting} waiting (${report.queue.slots} at once)`;
      const version = report.version ? ` · ${report.version}` : "";
      return [describe(report.base), describe(report.instruct), `${queue}${version}`].join("\n");
    });
  const room =
    discordLimits.embedTotal -
    TITLE.length -
    (footer?.length ?? 0) -
    names.reduce((sum, name) => sum + name.length, 0);
  const fits = (texts: string[]) => texts.reduce((sum, text) => sum + Math.min(text.length, 1024), 0) <= room;
  let texts = values(describeSide);
  if (!fits(texts)) texts = values(describeSideBriefly);
  const share = fits(texts) ? 1024 : Math.max(1, Math.floor(room / Math.max(1, texts.length)));
  const fields = shown.map((_, index) => ({
    name: names[index] ?? "",
    value: truncate(texts[index] ?? "", Math.min(1024, share)),
  }));
  return {
    ephemeral: true,
    embeds: [
      {
        title: TITLE,
        color: "neutral",
        ...(fields.length ? { fields } : { description: "No pairs are configured." }),
        ...(footer ? { footer } : {}),
      },
    ],
  };
}
