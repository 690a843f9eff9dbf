import { ComponentType } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePng } from "../charts/decodePng.ts";
import { DiscordDouble, type StoredMessage } from "../discord/DiscordDouble.ts";
import { walkComponents } from "../discord/validateMessage.ts";
import { altTextTokens, listedTokens, textSoFar } from "../nexttoken/readNextTokenView.ts";
import { buttonLabelled } from "../support/answerKey.ts";
import { startTestBot, type TestBot } from "../support/startTestBot.ts";
import { sharedModel, type TinyModelFiles, writeTinyModels } from "../support/testModels.ts";

const stories = { base: sharedModel("stories260K.gguf"), instruct: sharedModel("stories260K-chatml.gguf") };
const useStories = stories.base.present && stories.instruct.present;

/** Every button label on the message, disabled ones marked `(off)`. */
function labels(message: StoredMessage): string[] {
  return [...walkComponents(message.components)].flatMap(({ component }) =>
    component.type === ComponentType.Button
      ? [`${String(component.label)}${component.disabled === true ? " (off)" : ""}`]
      : [],
  );
}

/** The chart attached to the message, checked to be a whole PNG. */
function chartOf(message: StoredMessage) {
  expect(message.attachments).toHaveLength(1);
  const attachment = message.attachments[0];
  if (!attachment) throw new Error("no attachment");
  expect(attachment.filename).toBe("nexttoken.png");
  const png = decodePng(attachment.bytes);
  expect(png.width).toBe(1000);
  return { bytes: attachment.bytes, altText: attachment.description ?? "" };
}

describe(`/nexttoken through the Discord double (${useStories ? "stories260K models" : `tiny self-built models;${stories.base.skipNote}`})`, () => {
  let double: DiscordDouble;
  let bot: TestBot;
  let tiny: TinyModelFiles | undefined;

  beforeAll(async () => {
    double = await DiscordDouble.start();
    tiny = useStories ? undefined : await writeTinyModels();
    bot = await startTestBot(double, {
      env: {
        BASE_MODEL: tiny?.plain ?? stories.base.path,
        INSTRUCT_MODEL: tiny?.chatml ?? stories.instruct.path,
        LLM_THREADS: "1",
        LLM_GPU: "false",
      },
    });
    await bot.app.pairs.whenSettled();
  });

  afterAll(async () => {
    await bot?.stop();
    await double?.close();
    await tiny?.remove();
  });

  it("GIVEN /nexttoken THEN a public chart; Next token redraws it one token further for its owner only; Done turns the buttons off", async () => {
    const alice = double.user("alice");
    const bob = double.user("bob");

    const first = await double
      .slash(alice, "nexttoken", { prompt: "Once upon a time", top: 5 })
      .waitForReply();
    expect(first.ephemeral).toBe(false);
    expect(first.embeds[0]?.image?.url).toContain("nexttoken.png");
    const firstChart = chartOf(first);
    expect(firstChart.altText.length).toBeLessThanOrEqual(1024);
    expect(listedTokens(first.text, "base")).toEqual(altTextTokens(firstChart.altText, "base"));
    expect(labels(first)).toEqual(["Next token", "Done"]);
    expect(first.allowedMentions).toMatchObject({ parse: [] });

    const refused = await double.click(bob, first, buttonLabelled(first, "Next token")).waitForReply();
    expect(refused.ephemeral).toBe(true);
    expect(refused.text).toContain("These buttons belong to Alice's walk");

    const top = listedTokens(first.text, "base")[0]?.label ?? "";
    const stepped = await double.click(alice, first, buttonLabelled(first, "Next token")).waitForReply();
    expect(stepped.id).toBe(first.id);
    expect(stepped.text).toContain("Next token · step 1 of 64");
    expect(textSoFar(stepped.text, "base")).toBe(`Once upon a time${top.replaceAll("␣", " ")}`);
    const steppedChart = chartOf(stepped);
    expect(steppedChart.bytes.equals(firstChart.bytes)).toBe(false);

    const done = await double.click(alice, stepped, buttonLabelled(stepped, "Done")).waitForReply();
    expect(labels(done)).toEqual(["Next token (off)", "Done (off)"]);
    expect(done.text).toContain("This walk is closed");
    chartOf(done);
    double.assertNoErrors();
  });

  it("GIVEN the base model's menu THEN its owner can continue with an unlikely candidate, and the base text takes that branch", async () => {
    const carol = double.user("carol");
    const first = await double
      .slash(carol, "nexttoken", { prompt: "Once upon a time", top: 5 })
      .waitForReply();
    const menus = [...walkComponents(first.components)].flatMap(({ component }) =>
      component.type === ComponentType.StringSelect ? [component] : [],
    );
    expect(menus.map((menu) => String(menu.custom_id).split(":").at(-1))).toEqual(["base", "instruct"]);
    const baseMenu = menus[0];
    const options = (baseMenu?.options ?? []) as { label: string; value: string }[];
    expect(options).toHaveLength(5);
    // The third most likely token: a branch Next token at temperature 0 would never take.
    const third = options[2];
    if (!baseMenu || !third) throw new Error("no third candidate");
    const shownToken = listedTokens(first.text, "base")[2]?.label ?? "";
    expect(third.label.startsWith(shownToken)).toBe(true);

    const stepped = await double.select(carol, first, String(baseMenu.custom_id), third.value).waitForReply();
    expect(stepped.id).toBe(first.id);
    expect(stepped.text).toContain("Next token · step 1 of 64");
    expect(textSoFar(stepped.text, "base")).toBe(`Once upon a time${shownToken.replaceAll("␣", " ")}`);
    double.assertNoErrors();
  });
});
