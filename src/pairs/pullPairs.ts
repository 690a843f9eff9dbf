import { resolve } from "node:path";
import type { Config } from "../config.ts";
import { DownloadError, LOCAL_FILE_ADVICE } from "./DownloadFailure.ts";
import { checkPairFiles, downloadPairFiles } from "./downloadPairFiles.ts";
import { createProgressWriter, formatBytes, type ProgressWriter } from "./formatDownloadProgress.ts";
import { defaultPair, findPair, loadPairCatalogue } from "./loadPairCatalogue.ts";
import type { ModelPair, PairCatalogue } from "./ModelPair.ts";

export const PULL_USAGE = `Usage: npm run models:pull [pair…] [--all]
  Downloads the GGUF files of the named pairs into MODELS_DIR (default: the default pair).
  --all   every pair in the catalogue
  Files already there, local paths and engine-served models are skipped.`;

export interface PullOptions {
  config: Pick<
    Config,
    "BASE_MODEL" | "INSTRUCT_MODEL" | "DEFAULT_PAIR" | "MODEL_PAIRS_FILE" | "MODELS_DIR" | "HF_ENDPOINT"
  >;
  /** Command-line arguments after `models:pull`. */
  args: readonly string[];
  /** Where messages and the progress bar go. */
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Stops the download in progress; the partial file is kept. */
  signal?: AbortSignal;
  /** Time limit of the first request to each host, in ms. Default 15 000. */
  connectTimeoutMs?: number;
}

/** Which pairs the arguments name; an unknown id or option is an error that lists what exists. */
export function choosePairs(catalogue: PairCatalogue, args: readonly string[]): ModelPair[] | string {
  const options = args.filter((arg) => arg.startsWith("-"));
  const ids = args.filter((arg) => !arg.startsWith("-"));
  const unknownOption = options.find((option) => option !== "--all");
  if (unknownOption) return `Unknown option ${unknownOption}.\n${PULL_USAGE}`;
  if (options.includes("--all")) return [...catalogue.pairs];
  if (ids.length === 0) return [defaultPair(catalogue)];
  const pairs: ModelPair[] = [];
  for (const id of ids) {
    const pair = findPair(catalogue, id);
    if (!pair) return `No pair "${id}". Known pairs: ${catalogue.pairs.map((known) => known.id).join(", ")}.`;
    if (!pairs.includes(pair)) pairs.push(pair);
  }
  return pairs;
}

/**
 * `npm run models:pull [pair…] [--all]`: downloads the missing `hf:` files of the chosen pairs with
 * a progress bar; skips files already present, local paths and engine sources. Returns the exit
 * code: 0 when every chosen pair is complete, 1 otherwise (each failure says why and how to use
 * a local file instead).
 */
export async function pullPairs(options: PullOptions): Promise<number> {
  const { output, config } = options;
  const say = (line: string) => output.write(`${line}\n`);
  if (options.args.includes("--help") || options.args.includes("-h")) {
    say(PULL_USAGE);
    return 0;
  }
  const catalogue = loadPairCatalogue(config);
  const chosen = choosePairs(catalogue, options.args);
  if (typeof chosen === "string") {
    say(chosen);
    return 1;
  }
  const modelsDir = resolve(config.MODELS_DIR);
  let failures = 0;
  for (const pair of chosen) {
    say(`${pair.label} (${pair.id}):`);
    let downloadable = 0;
    for (const state of await checkPairFiles(pair, modelsDir)) {
      switch (state.state) {
        case "present":
          say(`  ${state.side}: already downloaded (${state.path})`);
          break;
        case "engine":
          say(`  ${state.side}: served by engine "${state.engine}"; nothing to download`);
          break;
        case "absent":
          say(`  ${state.side}: no file at ${state.path}, and a path cannot be downloaded`);
          failures++;
          break;
        case "downloadable":
          downloadable++;
          break;
      }
    }
    if (downloadable === 0) continue;
    let writer: ProgressWriter | undefined;
    let last = { downloadedBytes: 0, totalBytes: 0, bytesPerSecond: 0 };
    try {
      await downloadPairFiles(pair, {
        modelsDir,
        hfEndpoint: config.HF_ENDPOINT,
        signal: options.signal,
        connectTimeoutMs: options.connectTimeoutMs,
        onFileStart: ({ side, uri, totalBytes }) => {
          writer?.done(last);
          say(`  ${side}: downloading ${uri}${totalBytes > 0 ? ` (${formatBytes(totalBytes)})` : ""}`);
          writer = createProgressWriter(output, "   ");
          last = { downloadedBytes: 0, totalBytes, bytesPerSecond: 0 };
        },
        onProgress: (progress) => {
          last = progress;
          writer?.update(progress);
        },
      });
      writer?.done(last);
      say(`  saved in ${modelsDir}`);
    } catch (error) {
      writer?.done();
      if (options.signal?.aborted) {
        say("  Interrupted; the partial download is kept and resumes next time.");
        return 130;
      }
      failures++;
      const reason =
        error instanceof DownloadError ? error.message : `The download failed: ${(error as Error).message}`;
      say(`  ${reason}`);
      say(`  ${LOCAL_FILE_ADVICE}`);
    }
  }
  return failures === 0 ? 0 : 1;
}
