import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The llama-server `npm run engine:build` builds: `LLAMA_SERVER_BIN`, or the cache path the build
 * script uses (keyed by the llama.cpp release inside node-llama-cpp), with a reason to skip when
 * it is absent.
 */
export function findLlamaServer(): { path: string; present: boolean; skipNote: string } {
  const explicit = process.env.LLAMA_SERVER_BIN;
  if (explicit) {
    const present = existsSync(explicit);
    return {
      path: explicit,
      present,
      skipNote: present ? "" : ` [skipped: LLAMA_SERVER_BIN ${explicit} not found]`,
    };
  }
  let commit = "";
  try {
    const bundle = join(repositoryRoot, "node_modules/node-llama-cpp/llama/gitRelease.bundle");
    const heads = execFileSync("git", ["bundle", "list-heads", bundle], { encoding: "utf8" });
    commit =
      heads
        .split("\n")
        .find((line) => line.endsWith(" HEAD"))
        ?.split(" ")[0] ?? "";
  } catch {
    return {
      path: "",
      present: false,
      skipNote: " [skipped: cannot read node-llama-cpp's llama.cpp bundle]",
    };
  }
  const cacheRoot =
    process.env.LM_TUTOR_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "lm-tutor");
  const path = join(cacheRoot, "llama-server", commit.slice(0, 12), "build/bin/llama-server");
  const present = commit !== "" && existsSync(path);
  return {
    path,
    present,
    skipNote: present ? "" : ` [skipped: ${path} not built; run npm run engine:build]`,
  };
}

/** A port nothing listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface LlamaServerOptions {
  /** GGUF file to serve. */
  model: string;
  /** Total context (`-c`), shared by the slots. Default 512. */
  contextSize?: number;
  /** Slots (`--parallel`). Default 1. */
  parallel?: number;
  /** Extra command-line arguments (`--api-key …`). */
  args?: string[];
  /** Port to listen on. Default: a free one. */
  port?: number;
}

export interface RunningLlamaServer {
  url: string;
  process: ChildProcess;
  /** Everything the server wrote, for a failing test's message. */
  log(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it has exited. Calling it again is harmless. */
  stop(): Promise<void>;
}

/**
 * Starts llama-server on 127.0.0.1 on a free port with one CPU thread, and resolves once `/health`
 * says the model is loaded (rejecting with the server's output if it exits or takes over 60 s).
 */
export async function startLlamaServer(
  binary: string,
  options: LlamaServerOptions,
): Promise<RunningLlamaServer> {
  const port = options.port ?? (await freePort());
  const child = spawn(
    binary,
    [
      "-m",
      options.model,
      "-c",
      String(options.contextSize ?? 512),
      "--parallel",
      String(options.parallel ?? 1),
      "-t",
      "1",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--no-webui",
      ...(options.args ?? []),
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + 60_000;
  while (true) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`llama-server exited before it was ready:\n${output}`);
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`llama-server was not ready after 60 s:\n${output}`);
    }
    const healthy = await fetch(`${url}/health`)
      .then((response) => response.ok)
      .catch(() => false);
    if (healthy) break;
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }
  return { url, process: child, log: () => output, stop };
}

/**
 * Writes an operator pairs file (MODEL_PAIRS_FILE) whose default pair, `remote` ("Stories on
 * llama-server"), has its base and instruct models on these servers; one engine when both share a
 * URL (`box`), else `base-box` and `chat-box`.
 */
export function writeEnginePairsFile(
  directory: string,
  urls: { base: string; instruct: string },
  options: { apiKeyEnv?: string } = {},
): string {
  const shared = urls.base === urls.instruct;
  const engine = (id: string, url: string) => ({
    id,
    url,
    ...(options.apiKeyEnv && { apiKeyEnv: options.apiKeyEnv }),
  });
  const engines = shared
    ? [engine("box", urls.base)]
    : [engine("base-box", urls.base), engine("chat-box", urls.instruct)];
  const file = join(directory, "pairs.json");
  writeFileSync(
    file,
    JSON.stringify({
      default: "remote",
      engines,
      pairs: [
        {
          id: "remote",
          label: "Stories on llama-server",
          base: `engine:${shared ? "box" : "base-box"}`,
          instruct: `engine:${shared ? "box" : "chat-box"}`,
        },
      ],
    }),
  );
  return file;
}
