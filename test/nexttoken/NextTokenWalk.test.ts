import { getLlama, type Llama, LlamaLogLevel, type LlamaModel } from "node-llama-cpp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.ts";
import { PromptTooLongError } from "../../src/llm/errors/PromptTooLongError.ts";
import { type RenderedChatPrompt, renderChatPrompt } from "../../src/llm/renderChatPrompt.ts";
import { NextTokenEvaluator } from "../../src/nexttoken/NextTokenEvaluator.ts";
import {
  NextTokenWalk,
  type NextTokenWalkOptions,
  type NextTokenWalkState,
} from "../../src/nexttoken/NextTokenWalk.ts";
import { NextTokenWalkFinishedError } from "../../src/nexttoken/NextTokenWalkFinishedError.ts";
import { sharedModel } from "../support/testModels.ts";
import { expectSamePredictions } from "./expectSamePredictions.ts";

const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");
const present = base.present && instruct.present;

const PROMPT = "Once upon a time";

function topTokens(state: NextTokenWalkState) {
  return { base: state.base.top[0]?.token, instruct: state.instruct.top[0]?.token };
}

describe.skipIf(!present)(
  `NextTokenWalk on stories260K (base) and stories260K-chatml (instruct)${base.skipNote || instruct.skipNote}`,
  () => {
    let llama: Llama;
    const models: LlamaModel[] = [];
    const evaluators: NextTokenEvaluator[] = [];
    let baseEvaluator: NextTokenEvaluator;
    let instructEvaluator: NextTokenEvaluator;
    /** {@link PROMPT} in the instruct model's own ChatML template, as `/nexttoken` renders it. */
    let chatPrompt: RenderedChatPrompt;

    async function openEvaluator(path: string): Promise<NextTokenEvaluator> {
      const model = await llama.loadModel({ modelPath: path });
      models.push(model);
      const context = await model.createContext({ contextSize: 512, threads: 1 });
      const evaluator = new NextTokenEvaluator(context.getSequence());
      evaluators.push(evaluator);
      return evaluator;
    }

    function walk(options: Partial<NextTokenWalkOptions> = {}): NextTokenWalk {
      return new NextTokenWalk({
        base: { evaluator: baseEvaluator, prompt: PROMPT },
        instruct: { evaluator: instructEvaluator, prompt: chatPrompt },
        ...options,
      });
    }

    beforeAll(async () => {
      llama = await getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error });
      baseEvaluator = await openEvaluator(base.path);
      instructEvaluator = await openEvaluator(instruct.path);
      const template = instructEvaluator.model.fileInfo.metadata.tokenizer.chat_template ?? "";
      chatPrompt = renderChatPrompt(template, [{ role: "user", content: PROMPT }]);
    });

    afterAll(async () => {
      for (const evaluator of evaluators) await evaluator.dispose();
      for (const model of models) await model.dispose();
      await llama?.dispose();
    });

    it("GIVEN a started walk THEN both sides show their prompt and ten candidates", async () => {
      const state = await walk().start();
      expect(state).toMatchObject({ step: 0, maxSteps: 64, finished: false });
      expect(state.base).toMatchObject({ text: PROMPT, appendedText: "", appendedTokens: [], ended: false });
      expect(state.instruct).toMatchObject({ text: chatPrompt.text, appendedText: "", ended: false });
      expect(chatPrompt.text).toMatch(/^<\|im_start\|>system\n.*<\|im_start\|>assistant\n$/s);
      expect(state.base.appended).toBeUndefined();
      for (const side of [state.base, state.instruct]) {
        expect(side.top).toHaveLength(10);
        expect(side.restProbability).toBeGreaterThanOrEqual(0);
      }
      // The chat template adds tokens; this model has no ChatML tokens, so they are plain text.
      expect(state.instruct.promptTokens.length).toBeGreaterThan(state.base.promptTokens.length + 20);
    });

    it("GIVEN the same prompt in two independent walks THEN temperature 0 picks the same tokens", async () => {
      const first = walk();
      const second = walk();
      // Interleaved on shared evaluators: each walk must still see only its own tokens.
      expect(topTokens(await first.start())).toEqual(topTokens(await second.start()));
      for (let i = 0; i < 3; i++) {
        const a = await first.step({ temperature: 0 });
        const b = await second.step({ temperature: 0 });
        expect(b.base.text).toBe(a.base.text);
        expect(b.instruct.text).toBe(a.instruct.text);
        expectSamePredictions(b.base.top, a.base.top);
        expectSamePredictions(b.instruct.top, a.instruct.top);
      }
    });

    it("GIVEN a greedy step THEN each side appends exactly its previous top token", async () => {
      const session = walk();
      let previous = await session.start();
      for (let i = 1; i <= 5; i++) {
        const next = await session.step({ temperature: 0 });
        expect(next.step).toBe(i);
        for (const side of ["base", "instruct"] as const) {
          const expected = previous[side].top[0];
          expect(next[side].appended).toEqual(expected);
          expect(next[side].appendedTokens.at(-1)).toEqual(expected);
          expect(next[side].text).toBe(previous[side].text + expected?.text);
        }
        previous = next;
      }
      expect(previous.base.text).toBe("Once upon a time, there was a little");
    });

    it("GIVEN a sampled step with the same seed THEN it is reproducible", async () => {
      const run = async (seeds: number[]) => {
        const session = walk();
        await session.start();
        const appended: (number | undefined)[][] = [];
        for (const seed of seeds) {
          const state = await session.step({ temperature: 1.5, seed });
          appended.push([state.base.appended?.token, state.instruct.appended?.token]);
        }
        return appended;
      };
      const seeds = [11, 12, 13, 14, 15, 16];
      const once = await run(seeds);
      expect(await run(seeds)).toEqual(once);
      // Other seeds choose differently somewhere in six hot steps.
      expect(await run([0, 0, 0, 0, 0, 0])).not.toEqual(once);
    });

    it("GIVEN start() again THEN the walk is back at step 0 with the same predictions", async () => {
      const session = walk();
      const first = await session.start();
      await session.step({ temperature: 0 });
      await session.step({ temperature: 0.8, seed: 3 });
      const again = await session.start();
      expect({ ...again, base: undefined, instruct: undefined }).toEqual({
        ...first,
        base: undefined,
        instruct: undefined,
      });
      for (const side of ["base", "instruct"] as const) {
        expect(again[side].text).toBe(first[side].text);
        expect(again[side].appendedTokens).toEqual([]);
        expectSamePredictions(again[side].top, first[side].top);
      }
    });

    it("GIVEN a prompt longer than the limit THEN throws PromptTooLongError with the limit, before evaluating", () => {
      const error = (() => {
        try {
          walk({ maxPromptTokens: 30 });
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(PromptTooLongError);
      expect(error).toBeInstanceOf(UserError);
      expect(error).toMatchObject({ limit: 30 });
      expect((error as PromptTooLongError).message).toContain("inside the chat template");
      expect((error as PromptTooLongError).tokens).toBeGreaterThan(30);
      expect((error as PromptTooLongError).message).toContain("30");
    });

    it("GIVEN the step limit THEN the walk is finished and refuses more steps", async () => {
      const session = walk({ maxSteps: 2 });
      await expect(session.step({ temperature: 0 })).rejects.toThrow("start()");
      await session.start();
      expect((await session.step({ temperature: 0 })).finished).toBe(false);
      expect((await session.step({ temperature: 0 })).finished).toBe(true);
      await expect(session.step({ temperature: 0 })).rejects.toBeInstanceOf(NextTokenWalkFinishedError);
      await session.dispose();
      await expect(session.start()).rejects.toThrow("disposed");
    });

    it("GIVEN a failing step THEN the walk keeps its state", async () => {
      const session = walk();
      const started = await session.start();
      await expect(session.step({ temperature: -1 })).rejects.toThrow(RangeError);
      expect(session.state).toEqual(started);
    });
  },
);
