import { truncate } from "../text/truncate.ts";
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

/** Discord allows 25 fields per embed; beyond that, pairs are summed up in the footer. */
const MAX_FIELDS = 25;

/** The `/status` reply: one field per pair, the default pair first; only the asker sees it. */
export function renderPairStatus(reports: readonly PairStatusReport[]): View {
  const ordered = [
    ...reports.filter((report) => report.isDefault),
    ...reports.filter((report) => !report.isDefault),
  ];
  const shown = ordered.slice(0, MAX_FIELDS);
  const fields = shown.map((report) => {
    const queue = `queue: ${report.queue.running} running, ${report.queue.waiting} waiting (${report.queue.slots} at once)`;
    const version = report.version ? ` · ${report.version}` : "";
    return {
      name: truncate(`${report.label} (${report.pairId})${report.isDefault ? " · default" : ""}`, 256),
      value: truncate(
        [describeSide(report.base), describeSide(report.instruct), `${queue}${version}`].join("\n"),
        1024,
      ),
    };
  });
  const hidden = reports.length - shown.length;
  return {
    ephemeral: true,
    embeds: [
      {
        title: "Model pairs",
        color: "neutral",
        ...(fields.length ? { fields } : { description: "No pairs are configured." }),
        ...(hidden > 0 ? { footer: `…and ${hidden} more pairs` } : {}),
      },
    ],
  };
}
