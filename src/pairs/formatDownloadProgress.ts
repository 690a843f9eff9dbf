/** Bytes as people read them: `144.8 MB`, `1.32 GB`, `512 B`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${Math.round(bytes)} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}

export interface ProgressFigures {
  downloadedBytes: number;
  /** 0 when unknown. */
  totalBytes: number;
  bytesPerSecond: number;
}

/**
 * One line of progress: `[██████░░░░░░]  50%  72.4 MB / 144.8 MB  6.1 MB/s`. Without a known
 * total there is no bar, only bytes and speed.
 */
export function formatProgressLine(figures: ProgressFigures, barWidth = 24): string {
  const { downloadedBytes, totalBytes, bytesPerSecond } = figures;
  const speed = bytesPerSecond > 0 ? `  ${formatBytes(bytesPerSecond)}/s` : "";
  if (totalBytes <= 0) return `${formatBytes(downloadedBytes)}${speed}`;
  const fraction = Math.min(1, Math.max(0, downloadedBytes / totalBytes));
  const filled = Math.round(fraction * barWidth);
  const bar = `[${"█".repeat(filled)}${"░".repeat(barWidth - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `${bar} ${percent}  ${formatBytes(downloadedBytes)} / ${formatBytes(totalBytes)}${speed}`;
}

export interface ProgressWriter {
  /** Shows the latest figures. */
  update(figures: ProgressFigures): void;
  /** Ends the progress display (a final newline on a terminal). */
  done(figures?: ProgressFigures): void;
}

/**
 * A progress display on `output`: on a terminal one line redrawn in place (at most every 100 ms);
 * elsewhere (a log, CI) a plain line at each tenth of the download, so logs stay short and readable.
 */
export function createProgressWriter(
  output: NodeJS.WritableStream & { isTTY?: boolean },
  label: string,
  now: () => number = Date.now,
): ProgressWriter {
  const tty = output.isTTY === true;
  let lastDraw = -Infinity;
  let lastTenth = -1;
  let drewInPlace = false;
  return {
    update(figures) {
      if (tty) {
        if (now() - lastDraw < 100) return;
        lastDraw = now();
        output.write(`\r${label} ${formatProgressLine(figures)}\x1b[K`);
        drewInPlace = true;
        return;
      }
      if (figures.totalBytes <= 0) return;
      const tenth = Math.floor((10 * figures.downloadedBytes) / figures.totalBytes);
      if (tenth <= lastTenth) return;
      lastTenth = tenth;
      output.write(`${label} ${formatProgressLine(figures)}\n`);
    },
    done(figures) {
      if (tty) {
        if (figures) output.write(`\r${label} ${formatProgressLine(figures)}\x1b[K`);
        if (figures || drewInPlace) output.write("\n");
        return;
      }
      if (figures && figures.totalBytes > 0 && lastTenth < 10) {
        output.write(`${label} ${formatProgressLine(figures)}\n`);
      }
    },
  };
}
