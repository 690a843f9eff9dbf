import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { CompareEngine } from "../../src/compare/CompareEngine.ts";
import { EngineClient } from "../../src/engines/EngineClient.ts";
import { EngineError } from "../../src/engines/EngineError.ts";
import { RemoteSide } from "../../src/engines/RemoteSide.ts";
import { UserError } from "../../src/errors.ts";
import { PairRuntime } from "../../src/pairs/PairRuntime.ts";
import {
  findLlamaServer,
  freePort,
  type RunningLlamaServer,
  startLlamaServer,
} from "../support/llamaServer.ts";
import { sharedModel } from "../support/testModels.ts";

/*
 * What members see when a model server misbehaves: a real llama-server that is down, killed
 * mid-reply, frozen (SIGSTOP: it accepts connections and never answers) or guarded by an API key;
 * and a small fake for protocol garbage no real server sends. Whatever happens, the queue moves on.
 */

const server = findLlamaServer();
const chatml = sharedModel("stories260K-chatml.gguf");

/** One pair, both sides on the engine `box` at `url`. */
function runtimeFor(url: string, options: { apiKey?: string; timeoutMs?: number } = {}): PairRuntime {
  return new PairRuntime({
    catalogue: {
      pairs: [
        {
          id: "remote",
          label: "the remote pair",
          base: { kind: "engine", engine: "box" },
          instruct: { kind: "engine", engine: "box" },
          origin: "operator",
        },
      ],
      engines: [{ id: "box", url, apiKeyEnv: "TEST_ENGINE_KEY", timeoutMs: options.timeoutMs }],
      defaultPairId: "remote",
    },
    local: { gpu: false, threads: 1 },
    queue: { cooldownSeconds: 0 },
    apiKey: (variable) => (variable === "TEST_ENGINE_KEY" ? options.apiKey : undefined),
  });
}

describe.skipIf(!server.present || !chatml.present)(
  `engine faults on a real llama-server${server.skipNote || chatml.skipNote}`,
  () => {
    const started: RunningLlamaServer[] = [];
    const start = async (options: { port?: number; args?: string[]; contextSize?: number } = {}) => {
      const running = await startLlamaServer(server.path, {
        model: chatml.path,
        parallel: 2,
        contextSize: 2048,
        ...options,
      });
      started.push(running);
      return running;
    };

    afterEach(async () => {
      for (const running of started.splice(0)) {
        running.process.kill("SIGCONT");
        await running.stop();
      }
    });

    it("GIVEN the server is down at start THEN /compare's refusal names the server and the error, and once it is up the pair loads", async () => {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      const pairs = runtimeFor(url);
      const engine = new CompareEngine({ pairs });
      const refusal = await engine.start({ userId: "a", prompt: "Hello" }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(UserError);
      expect((refusal as Error).message).toBe(
        `The base model of the remote pair runs on the engine box (${url}), which failed: cannot be reached (ECONNREFUSED). Lessons and quizzes still work.`,
      );
      expect(pairs.report()[0]).toMatchObject({
        base: {
          state: "unreachable",
          location: { kind: "server", engine: "box", url },
          detail: expect.stringContaining("cannot be reached (ECONNREFUSED)"),
        },
        instruct: { state: "unloaded" },
      });

      await start({ port });
      const run = await engine.start({
        userId: "a",
        prompt: "Hello",
        sampling: { temperature: 0, maxTokens: 5 },
      });
      const done = await run.done;
      expect(done.sides.map((side) => side.stats?.tokens)).toEqual([5, 5]);
      // The queue lets go of the run just after its result is out.
      await expect.poll(() => pairs.report()[0]?.queue.running).toBe(0);
      expect(pairs.report()[0]).toMatchObject({
        queue: { running: 0, waiting: 0, slots: 1 },
        base: {
          state: "ready",
          location: { kind: "server", url },
          recentTokensPerSecond: expect.any(Number),
        },
        version: expect.stringMatching(/^llama\.cpp b\d+-[0-9a-f]+$/),
      });
      await pairs.close();
    });

    it("GIVEN the server is killed mid-reply THEN each column says the connection closed, the slot is freed, and the next run is refused at once with the reason", async () => {
      const running = await start();
      const pairs = runtimeFor(running.url);
      const engine = new CompareEngine({ pairs });
      const first = await engine.start({
        userId: "a",
        prompt: "Once upon a time",
        sampling: { temperature: 0, maxTokens: 900 },
        listener: { onText: () => running.process.kill("SIGKILL") },
      });
      const done = await first.done;
      const url = running.url.replace(/\./g, "\\.");
      for (const side of done.sides) {
        expect(side.state).toBe("done");
        expect(side.error).toMatch(
          new RegExp(
            `^generation failed: the engine box \\(${url}\\) (closed the connection mid-reply|cannot be reached)`,
          ),
        );
      }
      expect(done.sides.some((side) => side.text.length > 0)).toBe(true);
      await expect.poll(() => pairs.report()[0]?.queue.running).toBe(0);
      const refusal = await engine.start({ userId: "b", prompt: "Hello" }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(UserError);
      expect((refusal as Error).message).toContain(`the engine box (${running.url}) cannot be reached`);
      await pairs.close();
    });

    it("GIVEN a server that stops answering THEN the request gives up after its time limit, and works again once the server does", async () => {
      const running = await start();
      const side = await RemoteSide.connect(
        new EngineClient({ id: "frozen", url: running.url, timeoutMs: 1000 }),
        {
          streamsPerSlot: 1,
        },
      );
      const prompt = await side.tokenizePrompt("Once upon a time");
      running.process.kill("SIGSTOP");
      const failure = await side
        .generate(prompt, { slot: 0, stream: 0, temperature: 0, maxTokens: 5 })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(EngineError);
      expect((failure as EngineError).fault).toBe("timeout");
      expect((failure as EngineError).message).toBe(
        `the engine frozen (${running.url}) did not answer /v1/completions for 1 s`,
      );
      running.process.kill("SIGCONT");
      const result = await side.generate(prompt, { slot: 0, stream: 0, temperature: 0, maxTokens: 5 });
      expect(result.stats).toMatchObject({ tokens: 5, stopReason: "max-tokens" });
    });

    it("GIVEN a server with an API key THEN without the key the refusal names the server and its 401, with it the run works, and the key is never in a message", async () => {
      const key = "sekret-key-6f1d";
      const running = await start({ args: ["--api-key", key] });
      const locked = runtimeFor(running.url);
      const refusal = await locked.acquire().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(UserError);
      expect((refusal as Error).message).toContain(`the engine box (${running.url})`);
      expect((refusal as Error).message).toContain("HTTP 401");
      expect((refusal as Error).message).not.toContain(key);

      const unlocked = runtimeFor(running.url, { apiKey: key });
      const engine = new CompareEngine({ pairs: unlocked });
      const done = await (await engine.start({ userId: "a", prompt: "Hi", sampling: { maxTokens: 3 } })).done;
      expect(done.sides.map((side) => side.error)).toEqual([undefined, undefined]);
      expect(JSON.stringify(unlocked.report())).not.toContain(key);
      expect(JSON.stringify(locked.report())).not.toContain(key);
      await locked.close();
      await unlocked.close();
    });
  },
);

/** Just enough of llama-server for `RemoteSide.connect`; `/v1/completions` streams `completion`. */
function fakeServer(
  completion: (response: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const json = (response: ServerResponse, body: unknown) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify(body));
  };
  const server = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      if (request.url === "/props") {
        json(response, { total_slots: 1, default_generation_settings: { n_ctx: 256 }, build_info: "fake" });
      } else if (request.url === "/v1/models") {
        json(response, { data: [{ id: "fake" }] });
      } else if (request.url === "/tokenize") {
        const { content = "" } = JSON.parse(body) as { content?: string };
        json(response, { tokens: [...content].map((char) => char.charCodeAt(0)) });
      } else if (request.url === "/v1/completions") {
        response.writeHead(200, { "content-type": "text/event-stream" });
        completion(response);
      } else {
        response.writeHead(404).end();
      }
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}`, server });
    });
  });
}

describe("engine protocol garbage, from a fake server", () => {
  let servers: Server[] = [];

  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    servers = [];
  });

  const chunk = (text: string, finish: string | null = null) =>
    `data: ${JSON.stringify({ choices: [{ text, index: 0, finish_reason: finish }] })}\n\n`;

  it.each([
    [
      "an event that is not JSON",
      (response: ServerResponse) => response.end(`${chunk("Once")}data: {"choices": [{"text": " up\n\n`),
      /^generation failed: the engine fake \(http:\/\/127\.0\.0\.1:\d+\) sent a streamed event that is not JSON: /,
    ],
    [
      "a stream that ends without saying why",
      (response: ServerResponse) => response.end(`${chunk("Once")}${chunk(" upon")}`),
      /^generation failed: the engine fake \(.*\) ended the reply without saying why \(no finish_reason\)$/,
    ],
    [
      "an error event mid-reply",
      (response: ServerResponse) =>
        response.end(`${chunk("Once")}data: {"error": {"message": "slot unavailable"}}\n\n`),
      /^generation failed: the engine fake \(.*\) reported an error mid-reply: slot unavailable$/,
    ],
  ])(
    "GIVEN %s THEN the side says so after the text it got, and says it again on the next request",
    async (_, completion, message) => {
      const fake = await fakeServer(completion);
      servers.push(fake.server);
      const pairs = new PairRuntime({
        catalogue: {
          pairs: [
            {
              id: "fake",
              label: "the fake pair",
              base: { kind: "engine", engine: "fake" },
              instruct: { kind: "engine", engine: "fake" },
              origin: "operator",
            },
          ],
          engines: [{ id: "fake", url: fake.url }],
          defaultPairId: "fake",
        },
        local: { gpu: false },
        queue: { cooldownSeconds: 0 },
      });
      // The fake has no template; the instruct side needs one, so the pair is refused…
      await expect(pairs.acquire()).rejects.toThrow("has no chat template");
      // …and a direct side shows the streaming faults.
      const side = await RemoteSide.connect(new EngineClient({ id: "fake", url: fake.url }), {
        streamsPerSlot: 1,
        chatTemplate: "{% for m in messages %}{{ m.content }}{% endfor %}",
      });
      for (let attempt = 0; attempt < 2; attempt++) {
        const streamed: string[] = [];
        const failure = await side
          .generate(await side.tokenizePrompt("Hi"), {
            slot: 0,
            stream: 0,
            onText: (text) => streamed.push(text),
          })
          .then(
            () => undefined,
            (error: unknown) => error,
          );
        expect(`generation failed: ${(failure as Error).message}`).toMatch(message);
        expect(streamed[0]).toBe("Once");
      }
    },
  );
});
