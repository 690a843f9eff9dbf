import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { EngineClient } from "../../src/engines/EngineClient.ts";
import { EngineError } from "../../src/engines/EngineError.ts";
import { RemoteSide } from "../../src/engines/RemoteSide.ts";

/*
 * A hostile or broken server: answers that never end, events that are garbage while the
 * connection stays open. No real server does this, so a small stand-in plays it. Whatever it
 * sends, the bot must give up with a clear error, keep its memory bounded and close the connection
 * (a connection left open holds one of the server's slots).
 */

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

const servers: Server[] = [];

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

function json(response: ServerResponse, body: unknown): void {
  response.writeHead(200, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/** A llama-server look-alike whose tokenizer maps characters to their codes; `routes` override it. */
async function fakeServer(routes: Record<string, Handler>): Promise<string> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      const handler = routes[request.url ?? ""];
      if (handler) return handler(request, response);
      if (request.url === "/props") {
        return json(response, {
          total_slots: 1,
          default_generation_settings: { n_ctx: 256 },
          build_info: "fake",
        });
      }
      if (request.url === "/v1/models") return json(response, { data: [{ id: "fake" }] });
      if (request.url === "/tokenize") {
        const { content = "" } = JSON.parse(body) as { content?: string };
        return json(response, { tokens: [...content].map((char) => char.charCodeAt(0)) });
      }
      response.writeHead(404).end();
    });
  });
  servers.push(server);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  return `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
}

/** Writes 1 MB pieces of `piece` until the client goes away; resolves then, with the bytes written. */
function writeForever(response: ServerResponse, piece: string): Promise<number> {
  const block = piece.repeat(Math.ceil(2 ** 20 / piece.length));
  let written = 0;
  return new Promise((resolve) => {
    response.on("close", () => resolve(written));
    const pump = () => {
      while (!response.destroyed) {
        written += block.length;
        if (!response.write(block)) return void response.once("drain", pump);
      }
    };
    pump();
  });
}

describe("a hostile engine", () => {
  it("GIVEN an event that is not JSON on a connection the server keeps open THEN the run fails with that reason and the bot closes the connection", async () => {
    let closed: Promise<unknown> = Promise.resolve();
    const url = await fakeServer({
      "/v1/completions": (_request, response) => {
        closed = once(response, "close");
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.write("data: not json at all\n\n");
      },
    });
    const side = await RemoteSide.connect(new EngineClient({ id: "fake", url }), {
      streamsPerSlot: 1,
      chatTemplate: "{% for m in messages %}{{ m.content }}{% endfor %}",
    });
    const failure = await side.generate(await side.tokenizePrompt("Hi"), { slot: 0, stream: 0 }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as Error).message).toContain("sent a streamed event that is not JSON");
    // Without the bot closing it, the server would hold this connection (and its slot) forever.
    await closed;
  });

  it("GIVEN /props answers with a body that never ends THEN the probe stops reading at a bound, says so, and closes the connection", async () => {
    let written: Promise<number> = Promise.resolve(0);
    const url = await fakeServer({
      "/props": (_request, response) => {
        response.writeHead(200, { "content-type": "application/json" });
        written = writeForever(response, '{"chat_template": "');
      },
    });
    const client = new EngineClient({ id: "fake", url }, { timeoutMs: 120_000 });
    const failure = await client.probe().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as Error).message).toMatch(/^the engine fake \(.*\) sent more than \d+ MB for \/props$/);
    // The bot stopped reading near its bound, not after the time limit.
    expect(await written).toBeLessThan(256 * 2 ** 20);
  });

  it("GIVEN an error status with an endless body THEN the error is reported without reading the whole body", async () => {
    const url = await fakeServer({
      "/props": (_request, response) => {
        response.writeHead(500, { "content-type": "text/plain" });
        void writeForever(response, "overloaded ");
      },
    });
    const client = new EngineClient({ id: "fake", url }, { timeoutMs: 120_000 });
    await expect(client.probe()).rejects.toThrow(
      /^the engine fake \(.*\) answered \/props with HTTP 500: overloaded overloaded .*…$/,
    );
  });

  it("GIVEN /props reports a chat template that would render for ever THEN connecting refuses it in bounded time, naming the server", async () => {
    const bomb =
      "{% for a in range(100000) %}{% for b in range(100000) %}{{ a }}{% endfor %}{% endfor %}" +
      "{% for m in messages %}{{ m.content }}{% endfor %}";
    const url = await fakeServer({
      "/props": (_request, response) =>
        json(response, {
          total_slots: 1,
          default_generation_settings: { n_ctx: 256 },
          build_info: "fake",
          chat_template: bomb,
        }),
    });
    const failure = await RemoteSide.connect(new EngineClient({ id: "fake", url }), {
      streamsPerSlot: 2,
    }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as Error).message).toMatch(
      /^the engine fake \(.*\) reported a chat template that did not render a short conversation within \d+ s/,
    );
  });

  it("GIVEN a server that echoes the API key in its errors THEN no message carries the key", async () => {
    const key = "sk-echoed-secret-4242";
    const echo = (request: IncomingMessage) => `bad credentials: ${request.headers.authorization}`;
    let event = false;
    const url = await fakeServer({
      "/props": (request, response) => {
        if (!event) return void response.writeHead(401, { "content-type": "text/plain" }).end(echo(request));
        json(response, { total_slots: 1, default_generation_settings: { n_ctx: 256 }, build_info: "fake" });
      },
      "/v1/completions": (request, response) => {
        response.writeHead(200, { "content-type": "text/event-stream" });
        response.end(
          `data: {"error": {"message": ${JSON.stringify(echo(request))}}}\n\ndata: ${echo(request)}\n\n`,
        );
      },
    });
    const client = new EngineClient({ id: "fake", url }, { apiKey: key });
    const refused = await client.probe().then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(refused?.message).toContain("HTTP 401: bad credentials: Bearer");
    event = true;
    const side = await RemoteSide.connect(client, {
      streamsPerSlot: 1,
      chatTemplate: "{{ messages[0].content }}",
    });
    const failed = await side.generate(await side.tokenizePrompt("Hi"), { slot: 0, stream: 0 }).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failed?.message).toContain("reported an error mid-reply: bad credentials: Bearer");
    for (const message of [refused?.message, failed?.message]) expect(message).not.toContain(key);
  });

  it("GIVEN next-token candidates by the hundred thousand, with broken ids, impossible logprobs and huge texts THEN /nexttoken gets the 50 most likely valid ones, as probabilities", async () => {
    const candidates = Array.from({ length: 100_000 }, (_, index) => ({
      id: index % 7 === 0 ? "x" : index,
      token: index === 1 ? "y".repeat(100_000) : `t${index}`,
      logprob: index === 2 ? 5 : index === 3 ? Number.NaN : -index / 1000,
    }));
    const url = await fakeServer({
      "/completion": (_request, response) =>
        json(response, { completion_probabilities: [{ top_logprobs: candidates }] }),
    });
    const side = await RemoteSide.connect(new EngineClient({ id: "fake", url }), {
      streamsPerSlot: 1,
      chatTemplate: "{{ messages[0].content }}",
    });
    const predictor = await side.nextTokens();
    const ranked = await predictor.evaluate([72 as never, 105 as never]);
    expect(ranked.tokens).toHaveLength(50);
    expect(ranked.tokens.every((token) => Number.isSafeInteger(token) && token >= 0)).toBe(true);
    expect(ranked.probabilities.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(ranked.tokens.slice(0, 3)).toEqual([1, 4, 5]);
    const described = await predictor.describe(ranked.tokens[0] as never, []);
    expect(described.text.length).toBeLessThanOrEqual(1000);
  });

  it("GIVEN a server that ignores max_tokens and streams text without end THEN the run stops with that reason and the connection is closed", async () => {
    let closed: Promise<unknown> = Promise.resolve();
    const url = await fakeServer({
      "/v1/completions": (_request, response) => {
        closed = once(response, "close");
        response.writeHead(200, { "content-type": "text/event-stream" });
        void writeForever(
          response,
          `data: ${JSON.stringify({ choices: [{ text: "la ", finish_reason: null }] })}\n\n`,
        );
      },
    });
    const side = await RemoteSide.connect(new EngineClient({ id: "fake", url }), {
      streamsPerSlot: 1,
      chatTemplate: "{{ messages[0].content }}",
    });
    let streamed = 0;
    const failure = await side
      .generate(await side.tokenizePrompt("Sing"), {
        slot: 0,
        stream: 0,
        maxTokens: 20,
        onText: (text) => {
          streamed += text.length;
        },
      })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(EngineError);
    expect((failure as Error).message).toMatch(/sent more than the 20 tokens asked for$/);
    expect(streamed).toBeLessThan(1000);
    await closed;
  });
});
