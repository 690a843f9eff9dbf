import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EngineClient } from "../../src/engines/EngineClient.ts";
import { RemoteSide } from "../../src/engines/RemoteSide.ts";
import type { LocalModels } from "../../src/llm/LocalModels.ts";
import type { LocalSide } from "../../src/llm/LocalSide.ts";
import type { ModelSide } from "../../src/llm/ModelSide.ts";
import { findLlamaServer, type RunningLlamaServer, startLlamaServer } from "../support/llamaServer.ts";
import { localPairSource } from "../support/localPairSource.ts";
import { loadModelPair, sharedModel } from "../support/testModels.ts";

/*
 * The same GGUFs in this process (node-llama-cpp) and on a real llama-server built from the same
 * llama.cpp release: what the bot sends, gets and shows must not depend on where a side runs.
 */

const server = findLlamaServer();
const base = sharedModel("stories260K.gguf");
const chatml = sharedModel("stories260K-chatml.gguf");

async function generateText(side: ModelSide, prompt: string, maxTokens: number) {
  const tokens = await side.tokenizePrompt(prompt);
  const result = await side.generate(tokens, { slot: 0, stream: 0, temperature: 0, maxTokens });
  return { text: result.text, stats: result.stats };
}

describe.skipIf(!server.present || !base.present || !chatml.present)(
  `RemoteSide against llama-server, next to the same models in-process${server.skipNote || base.skipNote || chatml.skipNote}`,
  () => {
    let baseServer: RunningLlamaServer;
    let chatmlServer: RunningLlamaServer;
    let models: LocalModels;
    let local: { base: LocalSide; instruct: LocalSide };
    let remote: { base: RemoteSide; instruct: RemoteSide };

    beforeAll(async () => {
      [baseServer, chatmlServer] = await Promise.all([
        startLlamaServer(server.path, { model: base.path, contextSize: 512, parallel: 1 }),
        startLlamaServer(server.path, { model: chatml.path, contextSize: 1024, parallel: 2 }),
      ]);
      models = await loadModelPair(base.path, chatml.path, 512);
      local = localPairSource(models).sides();
      remote = {
        base: await RemoteSide.connect(new EngineClient({ id: "base-box", url: baseServer.url }), {
          streamsPerSlot: 1,
        }),
        instruct: await RemoteSide.connect(new EngineClient({ id: "chat-box", url: chatmlServer.url }), {
          streamsPerSlot: 2,
        }),
      };
    });

    afterAll(async () => {
      await local?.base.dispose();
      await local?.instruct.dispose();
      await models?.dispose();
      await baseServer?.stop();
      await chatmlServer?.stop();
    });

    it("GIVEN a llama-server THEN the side reports its slots, per-slot context, version and chat template", () => {
      expect(remote.base.location).toEqual({ kind: "engine", engineId: "base-box", url: baseServer.url });
      expect(remote.base.parallel).toBe(1);
      expect(remote.base.contextSize).toBe(512);
      expect(remote.base.version).toMatch(/^llama\.cpp b\d+-[0-9a-f]+$/);
      expect(remote.base.chatTemplate).toBeNull();
      // Two slots, and a three-way run sends two streams to the instruct side.
      expect(remote.instruct.parallel).toBe(1);
      expect(remote.instruct.chatTemplate).toBe(local.instruct.chatTemplate);
      expect(remote.base.probabilitiesUnavailable).toBeUndefined();
    });

    it("GIVEN raw text and a chat prompt THEN the server's tokens, BOS once, are exactly the in-process ones", async () => {
      const text = "Once upon a time <|im_end|> there was";
      for (const [remoteSide, localSide] of [
        [remote.base, local.base],
        [remote.instruct, local.instruct],
      ] as const) {
        expect(await remoteSide.tokenizePrompt(text)).toEqual(await localSide.tokenizePrompt(text));
      }
      const rendered = remote.instruct.renderChat([{ role: "user", content: "Hi <|im_start|>system" }]);
      expect(rendered).toEqual(
        local.instruct.renderChat([{ role: "user", content: "Hi <|im_start|>system" }]),
      );
      const remoteTokens = await remote.instruct.tokenizePrompt(rendered);
      expect(remoteTokens).toEqual(await local.instruct.tokenizePrompt(rendered));
      expect(remoteTokens.bosAdded).toBe(true);
      expect(remoteTokens.tokens.filter((token) => token === remoteTokens.tokens[0])).toHaveLength(1);
    });

    it("GIVEN a template that writes the BOS itself THEN the prompt still has one BOS, not two", async () => {
      const bosFirst = await RemoteSide.connect(new EngineClient({ id: "chat-box", url: chatmlServer.url }), {
        streamsPerSlot: 2,
        chatTemplate:
          "{{ bos_token }}{% for message in messages %}{{ message['role'] }}: {{ message['content'] }}\n{% endfor %}",
      });
      const rendered = bosFirst.renderChat([{ role: "user", content: "Tell me a story" }]);
      expect(rendered.text.startsWith("<s>")).toBe(true);
      const prompt = await bosFirst.tokenizePrompt(rendered);
      expect(prompt.bosAdded).toBe(false);
      expect(prompt.shownText).toBe(rendered.text);
      expect(prompt.tokens[0]).toBe(1);
      expect(prompt.tokens.slice(1)).not.toContain(1);
      // What the server generates from those ids is what the in-process model generates from them.
      const remoteResult = await bosFirst.generate(prompt, {
        slot: 0,
        stream: 0,
        temperature: 0,
        maxTokens: 20,
      });
      const localResult = await local.instruct.generate(prompt, {
        slot: 0,
        stream: 0,
        temperature: 0,
        maxTokens: 20,
      });
      expect(remoteResult.text).toBe(localResult.text);
    });

    it("GIVEN temperature 0 THEN both backends generate the same tokens, and the server's own speed is reported", async () => {
      for (const [remoteSide, localSide, prompt] of [
        [remote.base, local.base, "Once upon a time"],
        [remote.instruct, local.instruct, "Lily and Ben"],
      ] as const) {
        const [remoteRun, localRun] = [
          await generateText(remoteSide, prompt, 60),
          await generateText(localSide, prompt, 60),
        ];
        expect(remoteRun.text).toBe(localRun.text);
        expect(remoteRun.text.length).toBeGreaterThan(20);
        expect(remoteRun.stats).toMatchObject({
          tokens: localRun.stats.tokens,
          stopReason: localRun.stats.stopReason,
          promptTokens: localRun.stats.promptTokens,
        });
        expect(remoteRun.stats.engineTokensPerSecond).toBeGreaterThan(0);
        expect(remoteRun.stats.tokensPerSecond).toBeGreaterThan(0);
      }
    });

    it("GIVEN a story that reaches its end THEN both backends stop at the same token, for the same reason", async () => {
      const [remoteRun, localRun] = [
        await generateText(remote.base, "The end.", 400),
        await generateText(local.base, "The end.", 400),
      ];
      expect(remoteRun.text).toBe(localRun.text);
      expect(remoteRun.stats.tokens).toBe(localRun.stats.tokens);
      expect(remoteRun.stats.stopReason).toBe(localRun.stats.stopReason);
    });

    it("GIVEN the same tokens THEN next-token probabilities agree within 1e-3 with the in-process ones", async () => {
      for (const [remoteSide, localSide, prompt] of [
        [remote.base, local.base, "Once upon a time, there was a"],
        [remote.instruct, local.instruct, "The cat sat"],
      ] as const) {
        const remotePredictor = await remoteSide.nextTokens();
        const localPredictor = await localSide.nextTokens();
        const { tokens } = await localPredictor.tokenizePrompt(prompt);
        const remoteRanked = await remotePredictor.evaluate(tokens);
        const localRanked = await localPredictor.evaluate(tokens);
        const top = 10;
        expect(remoteRanked.tokens.slice(0, top)).toEqual(localRanked.tokens.slice(0, top));
        for (let index = 0; index < top; index++) {
          expect(
            Math.abs((remoteRanked.probabilities[index] ?? 0) - (localRanked.probabilities[index] ?? 0)),
          ).toBeLessThan(1e-3);
        }
        for (const token of remoteRanked.tokens.slice(0, top)) {
          expect(await remotePredictor.describe(token, tokens)).toEqual(
            await localPredictor.describe(token, tokens),
          );
        }
      }
    });

    it("GIVEN a text for /tokenize THEN the server cuts it exactly as the in-process tokenizer does", async () => {
      const text = "Strawberry 12345 🍓 naïve";
      expect(await remote.base.tokenizeText(text)).toEqual(await local.base.tokenizeText(text));
    });

    it("GIVEN a stop mid-reply THEN the side ends as stopped at once and the server's slot serves the next request", async () => {
      const controller = new AbortController();
      const prompt = await remote.base.tokenizePrompt("Once upon a time");
      const stopped = await remote.base.generate(prompt, {
        slot: 0,
        stream: 0,
        temperature: 0,
        maxTokens: 400,
        signal: controller.signal,
        onText: () => controller.abort(),
      });
      expect(stopped.stats.stopReason).toBe("stopped");
      expect(stopped.stats.tokens).toBeLessThan(400);
      const next = await generateText(remote.base, "Once upon a time", 10);
      expect(next.stats).toMatchObject({ tokens: 10, stopReason: "max-tokens" });
    });
  },
);
