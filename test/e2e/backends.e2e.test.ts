import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordDouble } from "../discord/DiscordDouble.ts";
import { type ListedToken, listedTokens, textSoFar } from "../nexttoken/readNextTokenView.ts";
import { buttonLabelled } from "../support/answerKey.ts";
import { isFinishedCompare, runIdOf, sideNamed, sidesOf, statsOf } from "../support/compareMessages.ts";
import {
  findLlamaServer,
  type RunningLlamaServer,
  startLlamaServer,
  writeEnginePairsFile,
} from "../support/llamaServer.ts";
import { startTestBot, type TestBot, temporaryFolder } from "../support/startTestBot.ts";
import { enginePairEnv, sharedModel, storiesEnv } from "../support/testModels.ts";

/*
 * `/compare`, `/nexttoken` and `/template` end to end through the Discord double, once with the
 * stories260K pair in this process and once with the same GGUFs on two real llama-servers
 * (an operator pairs file naming them as engines). The same assertions hold for both, and what
 * members see is then compared across the two: at temperature 0 the replies are the same text.
 */

const server = findLlamaServer();
const base = sharedModel("stories260K.gguf");
const instruct = sharedModel("stories260K-chatml.gguf");
const skipNote = server.skipNote || base.skipNote || instruct.skipNote;

/** What each backend showed, for the comparison at the end. */
interface Seen {
  compare: string[];
  threeWay: string[];
  prompts: Record<string, string>;
  nextToken: { base: ListedToken[]; instruct: ListedToken[]; stepped: string };
  template: string;
}
const seen = new Map<string, Seen>();

describe.skipIf(!server.present || !base.present || !instruct.present)(
  `the same commands in-process and on llama-server${skipNote}`,
  () => {
    let double: DiscordDouble;
    const servers: RunningLlamaServer[] = [];
    const folder = temporaryFolder("lm-tutor-engines-");

    beforeAll(async () => {
      double = await DiscordDouble.start();
      servers.push(
        ...(await Promise.all([
          startLlamaServer(server.path, { model: base.path, contextSize: 512, parallel: 1 }),
          startLlamaServer(server.path, { model: instruct.path, contextSize: 1024, parallel: 2 }),
        ])),
      );
    });

    afterAll(async () => {
      await Promise.all(servers.map((running) => running.stop()));
      await double?.close();
      folder.remove();
    });

    describe.each([
      ["in-process", () => storiesEnv({ COMPARE_DEFAULT_MAX_TOKENS: "40" })],
      [
        "llama-server",
        () =>
          enginePairEnv(
            writeEnginePairsFile(folder.dir, {
              base: servers[0]?.url ?? "",
              instruct: servers[1]?.url ?? "",
            }),
            { COMPARE_DEFAULT_MAX_TOKENS: "40" },
          ),
      ],
    ] as const)("%s", (backend, models) => {
      let bot: TestBot;
      const record: Partial<Seen> = {};

      beforeAll(async () => {
        bot = await startTestBot(double, {
          env: models(),
        });
        await bot.app.pairs.whenSettled();
        const pair = bot.app.pairs.report().find((report) => report.isDefault);
        expect([pair?.base.state, pair?.instruct.state]).toEqual(["ready", "ready"]);
      });

      afterAll(async () => {
        seen.set(backend, record as Seen);
        await bot?.stop();
      });

      it("GIVEN /compare at temperature 0 THEN the base model continues the story to max tokens and the instruct model answers inside its template", async () => {
        const member = double.user(`${backend}-alice`);
        const message = await double
          .slash(member, "compare", { prompt: "Once upon a time", max_tokens: 40, temperature: 0 })
          .waitForReply(isFinishedCompare, 20_000);
        const baseSide = sideNamed(message, /^Base · /);
        expect(baseSide.reply).toMatch(/^, there was/);
        expect(statsOf(baseSide)).toMatchObject({ tokens: 40, ended: "max tokens" });
        const instructSide = sideNamed(message, /^Instruct · /);
        expect(statsOf(instructSide).tokens).toBeGreaterThan(0);
        record.compare = sidesOf(message).map((side) => side.reply);

        const shown = await double
          .click(member, message, `compare:prompts:${runIdOf(message)}`)
          .waitForReply();
        expect(shown.ephemeral).toBe(true);
        record.prompts = Object.fromEntries(
          (shown.embeds[0]?.fields ?? []).map((field) => [field.name, field.value]),
        );
        expect(record.prompts["Base model: raw text"]).toBe("```\n<s>Once upon a time\n```");
        double.assertNoErrors();
      });

      it("GIVEN mode:three-way THEN the instruct model on raw text writes what the base model writes", async () => {
        const member = double.user(`${backend}-bob`);
        const message = await double
          .slash(member, "compare", { prompt: "The cat", mode: "three-way", max_tokens: 20, temperature: 0 })
          .waitForReply(isFinishedCompare, 20_000);
        expect(sidesOf(message)).toHaveLength(3);
        expect(sideNamed(message, /^Instruct on raw text/).reply).toBe(sideNamed(message, /^Base/).reply);
        record.threeWay = sidesOf(message).map((side) => side.reply);
        double.assertNoErrors();
      });

      it("GIVEN /nexttoken THEN both models' candidates are listed, and Next token appends the base model's top one", async () => {
        const member = double.user(`${backend}-carol`);
        const first = await double
          .slash(member, "nexttoken", { prompt: "Once upon a time", top: 5 })
          .waitForReply();
        const baseTokens = listedTokens(first.text, "base");
        expect(baseTokens).toHaveLength(5);
        const stepped = await double.click(member, first, buttonLabelled(first, "Next token")).waitForReply();
        expect(stepped.text).toContain("Next token · step 1 of 64");
        record.nextToken = {
          base: baseTokens,
          instruct: listedTokens(first.text, "instruct"),
          stepped: textSoFar(stepped.text, "base"),
        };
        expect(record.nextToken.stepped).toBe(`Once upon a time${baseTokens[0]?.label.replaceAll("␣", " ")}`);
        double.assertNoErrors();
      });

      it("GIVEN /template THEN it shows the ChatML rendering the instruct model reads", async () => {
        const member = double.user(`${backend}-dave`);
        const sample = await double.slash(member, "template", { message: "Hi there" }).waitForReply();
        const description = sample.embeds[0]?.description ?? "";
        expect(description).toContain("<|im_start|>user↵\nHi there<|im_end|>↵\n");
        record.template = description;
        expect(sample.embeds[1]?.description).toMatch(/^No chat template at all\./);
        double.assertNoErrors();
      });
    });

    it("GIVEN both backends ran the same commands THEN members saw the same replies, prompts, candidates and template", () => {
      const local = seen.get("in-process");
      const remote = seen.get("llama-server");
      expect(local).toBeDefined();
      expect(remote).toEqual(local);
    });
  },
);
