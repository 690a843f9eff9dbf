import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { locateModelFile } from "../../src/llm/locateModelFile.ts";
import { DownloadError } from "../../src/pairs/DownloadFailure.ts";
import {
  checkPairFiles,
  type DownloadProgress,
  downloadPairFiles,
  hfFileUrl,
} from "../../src/pairs/downloadPairFiles.ts";
import type { ModelPair } from "../../src/pairs/ModelPair.ts";
import { closedLoopbackPort, type FakeModelHost, startFakeModelHost } from "../support/fakeModelHost.ts";
import { buildTinyGguf } from "../support/tinyGguf.ts";

const baseFile = buildTinyGguf();
const instructFile = buildTinyGguf({ chatTemplate: "{{ messages[0].content }}" });

function pair(base: string, instruct: string): ModelPair {
  return {
    id: "tiny",
    label: "Tiny",
    base: { kind: "hf", uri: base },
    instruct: { kind: "hf", uri: instruct },
    origin: "operator",
  };
}

const tinyPair = pair("hf:lab/Tiny-GGUF/Tiny.Q8_0.gguf", "hf:lab/Tiny-Instruct-GGUF/tiny-instruct-q8_0.gguf");

let host: FakeModelHost;
beforeAll(async () => {
  host = await startFakeModelHost({
    "lab/Tiny-GGUF/Tiny.Q8_0.gguf": baseFile,
    "lab/Tiny-Instruct-GGUF/tiny-instruct-q8_0.gguf": instructFile,
  });
});
afterAll(() => host.close());

async function downloadError(work: Promise<unknown>): Promise<DownloadError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DownloadError);
  return error as DownloadError;
}

describe("hfFileUrl", () => {
  it("GIVEN an exact hf: URI THEN it is the resolve URL node-llama-cpp downloads", () => {
    expect(hfFileUrl("hf:QuantFactory/SmolLM2-135M-GGUF/SmolLM2-135M.Q8_0.gguf")).toBe(
      "https://huggingface.co/QuantFactory/SmolLM2-135M-GGUF/resolve/main/SmolLM2-135M.Q8_0.gguf?download=true",
    );
  });
});

describe("downloadPairFiles", () => {
  it("GIVEN a pair whose files are on the host THEN both are saved where the loader finds them, with progress", async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), "lm-tutor-dl-"));
    expect((await checkPairFiles(tinyPair, modelsDir)).map((state) => state.state)).toEqual([
      "downloadable",
      "downloadable",
    ]);
    const progress: DownloadProgress[] = [];
    const started: { side: string; totalBytes: number }[] = [];
    const paths = await downloadPairFiles(tinyPair, {
      modelsDir,
      hfEndpoint: host.url,
      onProgress: (event) => progress.push(event),
      onFileStart: ({ side, totalBytes }) => started.push({ side, totalBytes }),
    });

    expect(started).toEqual([
      { side: "base", totalBytes: baseFile.length },
      { side: "instruct", totalBytes: instructFile.length },
    ]);
    const lastBase = progress.filter((event) => event.side === "base").at(-1);
    expect(lastBase).toMatchObject({ downloadedBytes: baseFile.length, totalBytes: baseFile.length });
    // The names node-llama-cpp gives exact-file URIs, which locateModelFile looks for.
    expect(paths).toEqual([
      join(modelsDir, "hf_lab_Tiny.Q8_0.gguf"),
      join(modelsDir, "hf_lab_tiny-instruct-q8_0.gguf"),
    ]);
    expect(await readFile(paths[0] as string)).toEqual(baseFile);
    expect(await locateModelFile("hf:lab/Tiny-GGUF/Tiny.Q8_0.gguf", modelsDir)).toEqual({
      kind: "found",
      path: paths[0],
    });
    const states = await checkPairFiles(tinyPair, modelsDir);
    expect(states.map((state) => state.state)).toEqual(["present", "present"]);

    // A second run downloads nothing.
    const before = host.requests.length;
    expect(await downloadPairFiles(tinyPair, { modelsDir, hfEndpoint: host.url })).toEqual([]);
    expect(host.requests.length).toBe(before);
  });

  it("GIVEN a file the host does not have THEN the error is an HTTP 404 and says the file is not there", async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), "lm-tutor-dl-"));
    const error = await downloadError(
      downloadPairFiles(pair("hf:lab/Tiny-GGUF/Gone.Q8_0.gguf", "hf:lab/Tiny-GGUF/Tiny.Q8_0.gguf"), {
        modelsDir,
        hfEndpoint: host.url,
      }),
    );
    expect(error.failure).toMatchObject({ kind: "http", status: 404 });
    expect(error.message).toContain("answered 404 Not Found: the file is not there");
  });

  it("GIVEN a gated repository THEN the error is a 401 that mentions HF_TOKEN", async () => {
    const modelsDir = await mkdtemp(join(tmpdir(), "lm-tutor-dl-"));
    const error = await downloadError(
      downloadPairFiles(pair("hf:gated/Model-GGUF/model.gguf", "hf:gated/Model-GGUF/model.gguf"), {
        modelsDir,
        hfEndpoint: host.url,
      }),
    );
    expect(error.failure).toMatchObject({ kind: "http", status: 401 });
    expect(error.message).toContain("HF_TOKEN");
  });

  it("GIVEN a closed port THEN the host refused the connection, and the network itself works", async () => {
    const port = await closedLoopbackPort();
    const error = await downloadError(
      downloadPairFiles(tinyPair, {
        modelsDir: await mkdtemp(join(tmpdir(), "lm-tutor-dl-")),
        hfEndpoint: `http://127.0.0.1:${port}/`,
      }),
    );
    expect(error.failure).toEqual({ kind: "refused", host: `127.0.0.1:${port}` });
    expect(error.message).toContain("refused the connection: the network works, but nothing answers there");
  });

  it("GIVEN a host name that cannot resolve THEN the error is a DNS failure", async () => {
    const error = await downloadError(
      downloadPairFiles(tinyPair, {
        modelsDir: await mkdtemp(join(tmpdir(), "lm-tutor-dl-")),
        hfEndpoint: "http://models.invalid/",
      }),
    );
    expect(error.failure).toMatchObject({ kind: "dns", host: "models.invalid" });
    expect(error.message).toMatch(
      /^Could not look up models\.invalid \(E[A-Z_]+\): this machine seems to have no internet/,
    );
  });

  it("GIVEN a host that never answers THEN the download gives up after the time limit and says so", async () => {
    const error = await downloadError(
      downloadPairFiles(pair("hf:silent/M-GGUF/m.gguf", "hf:silent/M-GGUF/m.gguf"), {
        modelsDir: await mkdtemp(join(tmpdir(), "lm-tutor-dl-")),
        hfEndpoint: host.url,
        connectTimeoutMs: 300,
      }),
    );
    expect(error.failure.kind).toBe("timeout");
    expect(error.message).toContain("did not answer within 0.3 s");
  });
});
