import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A Hugging Face stand-in on 127.0.0.1 for download tests: serves `/<user>/<repo>/resolve/main/<file>`
 * (GET and HEAD, with byte ranges) for the files given, 404 for others, 401 under `/gated/`, and
 * never answers under `/silent/`. Loopback only; no network needed.
 */
export interface FakeModelHost {
  /** Base URL, e.g. `http://127.0.0.1:41234/`, to use as HF_ENDPOINT. */
  url: string;
  /** Paths requested, in order (`HEAD /u/r/resolve/main/f.gguf`). */
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeModelHost(files: Record<string, Buffer>): Promise<FakeModelHost> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const path = decodeURIComponent((request.url ?? "/").split("?")[0] ?? "/");
    requests.push(`${request.method} ${path}`);
    if (path.startsWith("/silent/")) return; // never answers
    if (path.startsWith("/gated/")) {
      response.writeHead(401, "Unauthorized").end("gated");
      return;
    }
    const match = /^\/([^/]+)\/([^/]+)\/resolve\/main\/(.+)$/.exec(path);
    const body = match ? files[`${match[1]}/${match[2]}/${match[3]}`] : undefined;
    if (!body) {
      response.writeHead(404, "Not Found").end("Entry not found");
      return;
    }
    const range = /^bytes=(\d+)-(\d*)$/.exec(request.headers.range ?? "");
    const start = range ? Number(range[1]) : 0;
    const end = range?.[2] ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
    const chunk = body.subarray(start, end + 1);
    response.writeHead(range ? 206 : 200, {
      "content-length": String(chunk.length),
      "content-type": "application/octet-stream",
      "accept-ranges": "bytes",
      ...(range ? { "content-range": `bytes ${start}-${end}/${body.length}` } : {}),
    });
    response.end(request.method === "HEAD" ? undefined : chunk);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (it was free a moment ago). */
export async function closedLoopbackPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
