import { DownloadError, LOCAL_FILE_ADVICE } from "./DownloadFailure.ts";
import {
  checkPairFiles,
  type DownloadProgress,
  downloadableFiles,
  downloadPairFiles,
  hfFileUrl,
  probeDownload,
} from "./downloadPairFiles.ts";
import { formatBytes } from "./formatDownloadProgress.ts";
import type { ModelPair } from "./ModelPair.ts";

/** What the playground may offer before the first command that needs the models. */
export type PendingDownload =
  /** Files are missing and can be fetched: ask `question`, then call `download` on yes. */
  | {
      kind: "offer";
      question: string;
      download(options: {
        onProgress?: (progress: DownloadProgress) => void;
        signal?: AbortSignal;
      }): Promise<void>;
    }
  /** Files are missing and cannot be fetched from here: show `message`. */
  | { kind: "unavailable"; message: string };

/** Offers to download the default pair on first use of a model command (the terminal playground). */
export interface ModelDownloadOffer {
  /** Commands whose first use brings the offer up. */
  readonly commands: ReadonlySet<string>;
  /** Button id prefixes that run the models too (a lesson's Try it demos). */
  readonly buttonPrefixes: ReadonlySet<string>;
  /** What to offer now, or null when nothing is missing. Never throws for network trouble. */
  check(): Promise<PendingDownload | null>;
  /** Called once the offer is over, whatever the answer: the models can load now. */
  settled(): void;
}

export interface PairDownloadOfferOptions {
  pair: ModelPair;
  modelsDir: string;
  hfEndpoint?: string;
  /** Time limit of the first request to the host, in ms. Default 15 000. */
  connectTimeoutMs?: number;
  /** Called once the offer is over (start loading the models). */
  onSettled: () => void;
}

/** The commands that run the models. */
export const MODEL_COMMANDS: ReadonlySet<string> = new Set(["compare", "template", "nexttoken", "tokenize"]);

/** Buttons that run the models: a lesson's Try it demos. */
export const MODEL_BUTTON_PREFIXES: ReadonlySet<string> = new Set(["tryit"]);

/**
 * The download offer for one pair: finds its missing `hf:` files, asks the host for their sizes
 * (which also tells whether the host can be reached at all), and downloads them on request.
 */
export function createPairDownloadOffer(options: PairDownloadOfferOptions): ModelDownloadOffer {
  const { pair } = options;
  let settled = false;
  return {
    commands: MODEL_COMMANDS,
    buttonPrefixes: MODEL_BUTTON_PREFIXES,
    async check() {
      const files = downloadableFiles(await checkPairFiles(pair, options.modelsDir));
      if (files.length === 0) return null;
      let total = 0;
      try {
        for (const file of files)
          total += await probeDownload(hfFileUrl(file.uri, options.hfEndpoint), options);
      } catch (error) {
        if (!(error instanceof DownloadError)) throw error;
        return {
          kind: "unavailable",
          message: `The models of ${pair.label} are not downloaded, and they cannot be fetched now. ${error.message} ${LOCAL_FILE_ADVICE}`,
        };
      }
      const size = total > 0 ? total : pair.sizeBytes;
      const count = files.length === 1 ? "1 file" : `${files.length} files`;
      return {
        kind: "offer",
        question: `The models of ${pair.label} are not downloaded yet (${count}${size ? `, ${formatBytes(size)}` : ""}). Download them into ${options.modelsDir} now? [y/N]`,
        download: async ({ onProgress, signal }) => {
          await downloadPairFiles(pair, {
            modelsDir: options.modelsDir,
            hfEndpoint: options.hfEndpoint,
            connectTimeoutMs: options.connectTimeoutMs,
            onProgress,
            signal,
          });
        },
      };
    },
    settled() {
      if (settled) return;
      settled = true;
      options.onSettled();
    },
  };
}
