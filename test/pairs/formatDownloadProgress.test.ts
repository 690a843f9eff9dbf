import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import {
  createProgressWriter,
  formatBytes,
  formatProgressLine,
} from "../../src/pairs/formatDownloadProgress.ts";

describe("formatProgressLine", () => {
  it("GIVEN half of a known size THEN a half-full bar, the percentage, bytes of total and the speed", () => {
    expect(
      formatProgressLine(
        { downloadedBytes: 72_405_232, totalBytes: 144_810_464, bytesPerSecond: 6_100_000 },
        10,
      ),
    ).toBe("[█████░░░░░]  50%  72.4 MB / 145 MB  6.1 MB/s");
  });

  it("GIVEN no known size THEN only bytes and speed", () => {
    expect(formatProgressLine({ downloadedBytes: 2048, totalBytes: 0, bytesPerSecond: 0 })).toBe("2.0 kB");
  });

  it("GIVEN sizes of every magnitude THEN they read naturally", () => {
    expect([512, 1_500, 386_404_992, 1_320_000_000].map(formatBytes)).toEqual([
      "512 B",
      "1.5 kB",
      "386 MB",
      "1.3 GB",
    ]);
  });
});

describe("createProgressWriter", () => {
  function capture(tty: boolean) {
    const stream = Object.assign(new PassThrough(), { isTTY: tty });
    let text = "";
    stream.on("data", (chunk: Buffer) => {
      text += chunk.toString();
    });
    return { stream, text: () => text };
  }

  it("GIVEN a terminal THEN one line is redrawn in place and ended with a newline", () => {
    const out = capture(true);
    let clock = 0;
    const writer = createProgressWriter(out.stream, "  ", () => clock);
    for (let bytes = 0; bytes <= 100; bytes += 10) {
      clock += 150;
      writer.update({ downloadedBytes: bytes, totalBytes: 100, bytesPerSecond: 0 });
    }
    writer.done({ downloadedBytes: 100, totalBytes: 100, bytesPerSecond: 0 });
    expect(out.text().split("\n")).toHaveLength(2);
    expect(out.text().match(/\r/g)?.length).toBe(12);
    expect(out.text().endsWith("100%  100 B / 100 B\x1b[K\n")).toBe(true);
  });

  it("GIVEN a log THEN one plain line per tenth, however many updates arrive", () => {
    const out = capture(false);
    const writer = createProgressWriter(out.stream, "  ");
    for (let bytes = 0; bytes <= 1000; bytes++)
      writer.update({ downloadedBytes: bytes, totalBytes: 1000, bytesPerSecond: 0 });
    writer.done({ downloadedBytes: 1000, totalBytes: 1000, bytesPerSecond: 0 });
    const lines = out.text().trimEnd().split("\n");
    expect(lines).toHaveLength(11);
    expect(lines.at(-1)).toContain("100%");
    expect(out.text()).not.toContain("\r");
  });
});
