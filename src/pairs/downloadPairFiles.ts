import { resolve } from "node:path";
import { createModelDownloader, type ModelDownloader } from "node-llama-cpp";
import { locateModelFile } from "../llm/locateModelFile.ts";
import { classifyDownloadError, DownloadError } from "./DownloadFailure.ts";
import type { ModelPair, ModelSource } from "./ModelPair.ts";
import { modelSourceSpec } from "./parseModelSource.ts";

export type PairSide = "base" | "instruct";

/** Where one side of a pair stands on this machine. */
export type PairFileState =
  | { side: PairSide; state: "present"; path: string }
  /** An `hf:` file not downloaded yet. */
  | { side: PairSide; state: "downloadable"; uri: string }
  /** A path that does not exist: nothing can be downloaded for it. */
  | { side: PairSide; state: "absent"; path: string }
  /** Served by an inference engine: nothing to download. */
  | { side: PairSide; state: "engine"; engine: string };

/** Where each side of `pair` stands, decided offline. */
export async function checkPairFiles(pair: ModelPair, modelsDir: string): Promise<PairFileState[]> {
  const states: PairFileState[] = [];
  for (const side of ["base", "instruct"] as const)
    states.push(await checkSource(side, pair[side], modelsDir));
  return states;
}

async function checkSource(side: PairSide, source: ModelSource, modelsDir: string): Promise<PairFileState> {
  if (source.kind === "engine") return { side, state: "engine", engine: source.engine };
  const location = await locateModelFile(modelSourceSpec(source), modelsDir);
  if (location.kind === "found") return { side, state: "present", path: location.path };
  return source.kind === "hf"
    ? { side, state: "downloadable", uri: source.uri }
    : { side, state: "absent", path: location.file };
}

/** The downloadable sides, one per distinct file (a pair may use one file twice). */
export function downloadableFiles(states: readonly PairFileState[]): { side: PairSide; uri: string }[] {
  const files: { side: PairSide; uri: string }[] = [];
  for (const state of states) {
    if (state.state === "downloadable" && !files.some((file) => file.uri === state.uri)) {
      files.push({ side: state.side, uri: state.uri });
    }
  }
  return files;
}

const defaultEndpoint = "https://huggingface.co/";

/**
 * The URL of an exact `hf:<user>/<repo>/<path>.gguf` file, as node-llama-cpp downloads it; for the
 * older tagged form (no file named) the endpoint itself, which is enough to test the network.
 */
export function hfFileUrl(uri: string, endpoint = defaultEndpoint): string {
  const base = endpoint.endsWith("/") ? endpoint : `${endpoint}/`;
  const [user, repo, ...path] = uri.replace(/^(hf|huggingface):(\/\/)?/i, "").split("/");
  if (!user || !repo || path.length === 0) return base;
  const file = path.map((part) => encodeURIComponent(part)).join("/");
  return `${base}${encodeURIComponent(user)}/${encodeURIComponent(repo)}/resolve/main/${file}?download=true`;
}

export interface DownloadProgress {
  side: PairSide;
  uri: string;
  downloadedBytes: number;
  /** 0 until the server said. */
  totalBytes: number;
  bytesPerSecond: number;
}

export interface DownloadPairFilesOptions {
  /** Where the files go (MODELS_DIR); the in-process loader looks there. */
  modelsDir: string;
  /** Hugging Face or a mirror (HF_ENDPOINT). Default https://huggingface.co/. */
  hfEndpoint?: string;
  /** Called as bytes arrive. */
  onProgress?: (progress: DownloadProgress) => void;
  /** Called when a file starts, once its size is known (0 when the server does not say). */
  onFileStart?: (file: { side: PairSide; uri: string; totalBytes: number }) => void;
  /** Stops the download; the partial file is kept and resumes next time. */
  signal?: AbortSignal;
  /** How long to wait for the host to answer the first request, in ms. Default 15 000. */
  connectTimeoutMs?: number;
}

/**
 * Downloads the missing `hf:` files of a pair into `modelsDir` with node-llama-cpp's downloader,
 * under the names the in-process loader looks for. Before each file one quick request tells a
 * network or host problem apart (node-llama-cpp's downloader retries those for minutes): it
 * throws a {@link DownloadError} saying which. Returns the paths of the files now present.
 */
export async function downloadPairFiles(
  pair: ModelPair,
  options: DownloadPairFilesOptions,
): Promise<string[]> {
  const modelsDir = resolve(options.modelsDir);
  const files = downloadableFiles(await checkPairFiles(pair, modelsDir));
  const paths: string[] = [];
  for (const file of files) {
    const url = hfFileUrl(file.uri, options.hfEndpoint);
    await probeDownload(url, options);
    let downloader: ModelDownloader;
    try {
      downloader = await createModelDownloader({
        modelUri: file.uri,
        dirPath: modelsDir,
        showCliProgress: false,
        skipExisting: true,
        deleteTempFileOnCancel: false,
        ...(options.hfEndpoint ? { endpoints: { huggingFace: options.hfEndpoint } } : {}),
        onProgress: ({ downloadedSize, totalSize, averageSpeed }) =>
          options.onProgress?.({
            side: file.side,
            uri: file.uri,
            downloadedBytes: downloadedSize,
            totalBytes: totalSize,
            bytesPerSecond: averageSpeed,
          }),
      });
    } catch (error) {
      throw asDownloadError(error, url, options);
    }
    options.onFileStart?.({ side: file.side, uri: file.uri, totalBytes: downloader.totalSize });
    try {
      paths.push(await downloader.download({ signal: options.signal }));
    } catch (error) {
      if (options.signal?.aborted) throw error;
      throw asDownloadError(error, url, options);
    }
  }
  return paths;
}

function asDownloadError(error: unknown, url: string, options: DownloadPairFilesOptions): DownloadError {
  if (error instanceof DownloadError) return error;
  const status = (error as { statusCode?: unknown }).statusCode;
  if (typeof status === "number") {
    const statusText = String((error as { statusText?: unknown }).statusText ?? "");
    return new DownloadError({ kind: "http", host: new URL(url).host, status, statusText }, url);
  }
  return new DownloadError(classifyDownloadError(error, url, seconds(options)), url);
}

function seconds(options: Pick<DownloadPairFilesOptions, "connectTimeoutMs">): number {
  return (options.connectTimeoutMs ?? 15_000) / 1000;
}

/**
 * One HEAD request (redirects followed) with a time limit: resolves to the file's size when the
 * host says it (0 otherwise), throws a {@link DownloadError} saying what failed.
 */
export async function probeDownload(
  url: string,
  options: Pick<DownloadPairFilesOptions, "signal" | "connectTimeoutMs">,
): Promise<number> {
  const limit = AbortSignal.timeout(options.connectTimeoutMs ?? 15_000);
  const signal = options.signal ? AbortSignal.any([options.signal, limit]) : limit;
  let response: Response;
  try {
    response = await fetch(url, { method: "HEAD", redirect: "follow", signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new DownloadError(classifyDownloadError(error, url, seconds(options)), url);
  }
  // The endpoint alone (a tagged URI) only had to answer; 405: a server without HEAD.
  const fileNamed = url.includes("/resolve/");
  if (!response.ok && fileNamed && response.status !== 405) {
    throw new DownloadError(
      { kind: "http", host: new URL(url).host, status: response.status, statusText: response.statusText },
      url,
    );
  }
  const size = Number(response.headers.get("content-length"));
  return fileNamed && Number.isFinite(size) && size > 0 ? size : 0;
}
