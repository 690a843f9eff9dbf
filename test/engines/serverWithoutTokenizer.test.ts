import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineClient } from "../../src/engines/EngineClient.ts";
import { RemoteSide } from "../../src/engines/RemoteSide.ts";

/*
 * A server with the OpenAI routes only (as Ollama's /v1): no /props, no /tokenize. No such server
 * runs here, so a small stand-in records what the bot sends it: the prompt as text, where a
 * template's `{{ bos_token }}` wrote nothing (the server adds its own BOS), and no claim it can do
 * /nexttoken.
 */

const TEMPLATE = "{{ bos_token }}{% for m in messages %}<|user|>{{ m.content }}{% endfor %}<|assistant|>";

describe("a server without /tokenize (OpenAI routes only)", () => {
  let server: Server;
  let url: string;
  const completions: Record<string, unknown>[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      request.on("end", () => {
        if (request.url === "/v1/models") {
          response.writeHead(200, { "content-type": "application/json" });
          response.end(JSON.stringify({ data: [{ id: "qwen2.5:0.5b", owned_by: "library" }] }));
        } else if (request.url === "/v1/completions") {
          completions.push(JSON.parse(body) as Record<string, unknown>);
          response.writeHead(200, { "content-type": "text/event-stream" });
          const event = (text: string, finish: string | null) =>
            `data: ${JSON.stringify({ choices: [{ text, index: 0, finish_reason: finish }] })}\n\n`;
          response.end(`${event("Paris", null)}${event(".", "stop")}data: [DONE]\n\n`);
        } else {
          response.writeHead(404, { "content-type": "text/plain" }).end("404 page not found");
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it("GIVEN a template that writes BOS THEN the text sent has no BOS text, the model is named, and /nexttoken is said to be unavailable", async () => {
    const side = await RemoteSide.connect(new EngineClient({ id: "ollama", url }), {
      model: "qwen2.5:0.5b",
      chatTemplate: TEMPLATE,
      streamsPerSlot: 2,
    });
    expect(side.name).toBe("qwen2.5:0.5b");
    expect(side.probabilitiesUnavailable).toBe(
      `the engine ollama (${url}) has no /tokenize route, so /nexttoken cannot give it exact tokens.`,
    );
    await expect(side.nextTokens()).rejects.toThrow("has no /tokenize route");

    const rendered = side.renderChat([{ role: "user", content: "Capital of France?" }]);
    const prompt = await side.tokenizePrompt(rendered);
    expect(prompt.shownText).toBe("<|user|>Capital of France?<|assistant|>");
    const result = await side.generate(prompt, {
      slot: 0,
      stream: 0,
      temperature: 0,
      maxTokens: 20,
      seed: 3,
    });
    expect(result.text).toBe("Paris.");
    expect(result.stats.stopReason).toBe("end-of-turn");
    expect(completions.at(-1)).toMatchObject({
      model: "qwen2.5:0.5b",
      prompt: "<|user|>Capital of France?<|assistant|>",
      max_tokens: 20,
      temperature: 0,
      seed: 3,
      stream: true,
    });
  });
});
