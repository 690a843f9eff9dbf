import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { command as lesson } from "../../commands/lesson.ts";
import { UserError } from "../../src/errors.ts";
import { plainText } from "../../src/ui/richText.ts";
import { createTemporaryDatabase, type TemporaryDatabase } from "../db/temporaryDatabase.ts";
import { sampleContent } from "../quiz/fixtures.ts";
import {
  alice,
  bob,
  buttonInvocation,
  buttonLabelled,
  buttonsOf,
  commandInvocation,
  expectValidButtonIds,
  guildId,
} from "./recordingReply.ts";
import { createLearningServices, type LearningServices } from "./testServices.ts";

const content = sampleContent();
const now = () => new Date("2025-03-10T12:00:00Z");
const pressLessonButton = lesson.buttons?.lesson;

let temporary: TemporaryDatabase;
let services: LearningServices;

beforeEach(() => {
  temporary = createTemporaryDatabase();
  services = createLearningServices(temporary.open(), content, now);
});
afterEach(() => temporary.remove());

async function open(name: string) {
  const invocation = commandInvocation("lesson", { name });
  await lesson.execute(services, invocation);
  return invocation.reply.only("send");
}

async function press(customId: string, actor = alice) {
  if (!pressLessonButton) throw new Error("lesson has no button handler");
  const invocation = buttonInvocation(customId, actor);
  await pressLessonButton.press(services, invocation);
  return invocation.reply;
}

describe("/lesson", () => {
  it("GIVEN no name THEN it lists every track and lesson with the member's progress", async () => {
    await press(buttonLabelled(await openAtLastSnippet("tokens"), "Done").id);
    await press(buttonLabelled(await open("base-models"), "Next").id);

    const invocation = commandInvocation("lesson");
    await lesson.execute(services, invocation);
    const view = invocation.reply.only("send");

    expect(view.ephemeral).toBe(true);
    const embed = view.embeds?.[0];
    expect(embed?.description).toMatch(/read 1 of 3 lessons/);
    expect(embed?.description).toContain("**Next up:** Base models (`base-models`), where you left off.");
    expect(embed?.fields).toEqual([
      {
        name: "Foundations · 1/2",
        value: "✓ **Tokens** (`tokens`)\n▸ **Base models** (`base-models`) — snippet 2/5",
      },
      { name: "Sampling · 0/1", value: "· **Temperature** (`temperature`)" },
    ]);
    // Next up opens the lesson where the member left off (snippet 2).
    const continueButton = buttonLabelled(view, "Continue: Base models");
    const resumed = (await press(continueButton.id)).only("update");
    expect(plainText(resumed.embeds?.[0]?.footer ?? "")).toMatch(/^Snippet 2 of 5/);
  });

  it("GIVEN a lesson name THEN it shows the first snippet with Previous disabled and Next", async () => {
    const view = await open("Base models");
    expect(view.ephemeral).toBe(true);
    expect(view.embeds?.[0]).toMatchObject({
      title: "Base models",
      description: "**Base models part 1**\n\nBody of Base models part 1.",
      footer: "Snippet 1 of 5 · Foundations",
    });
    expect(buttonsOf(view).map((button) => [button.label, button.disabled ?? false])).toEqual([
      ["Previous", true],
      ["Next", false],
    ]);
    expectValidButtonIds(view);
  });

  it("GIVEN Next pressed THEN the message turns to the next snippet", async () => {
    const reply = await press(buttonLabelled(await open("tokens"), "Next").id);
    const view = reply.only("update");
    expect(view.embeds?.[0]?.footer).toBe("Snippet 2 of 3 · Foundations");
  });

  it("GIVEN the last snippet THEN it offers Done and Quiz me, and Done marks the lesson read", async () => {
    const second = (await press(buttonLabelled(await open("tokens"), "Next").id)).only("update");
    const last = (await press(buttonLabelled(second, "Next").id)).only("update");
    expect(buttonsOf(last).map((button) => button.label)).toEqual(["Previous", "Done", "Quiz me"]);

    const done = (await press(buttonLabelled(last, "Done").id)).only("update");
    expect(done.content).toMatch(/You have read \*\*Tokens\*\*/);
    expect(buttonsOf(done).map((button) => button.label)).toEqual([
      "Previous",
      "Quiz me",
      "Next lesson: Base models",
    ]);
    expectValidButtonIds(done);
    expect(services.progress.summarize({ guildId, userId: alice.id }).lessonsRead).toBe(1);
  });

  it("GIVEN Quiz me pressed THEN a quiz on that lesson starts in a new message", async () => {
    const last = await openAtLastSnippet("temperature");
    const reply = await press(buttonLabelled(last, "Quiz me").id);
    const view = reply.only("send");
    expect(view.embeds?.[0]?.title).toBe("Question 1 of 4 · Temperature");
  });

  it("GIVEN another member presses a lesson button THEN they are told politely to open it themselves", async () => {
    const next = buttonLabelled(await open("tokens"), "Next").id;
    await expect(press(next, bob)).rejects.toThrow(
      new UserError("This lesson was opened by someone else — run /lesson name:tokens to read it yourself."),
    );
  });

  it("GIVEN a lesson button from before a restart, even onto a fresh database, THEN it still works", async () => {
    const next = buttonLabelled(await open("tokens"), "Next").id;
    temporary.remove();
    temporary = createTemporaryDatabase();
    services = createLearningServices(temporary.open(), content, now);
    expect((await press(next)).only("update").embeds?.[0]?.footer).toBe("Snippet 2 of 3 · Foundations");
  });

  it("GIVEN a lesson read up to snippet 2 WHEN opened again THEN it resumes there", async () => {
    await press(buttonLabelled(await open("tokens"), "Next").id);
    expect((await open("tokens")).embeds?.[0]?.footer).toBe("Snippet 2 of 3 · Foundations");
  });

  it("GIVEN a misspelt lesson name THEN the UserError suggests the closest lessons", async () => {
    await expect(open("tokns")).rejects.toThrow(
      new UserError("There is no lesson called “tokns”. Did you mean `tokens`? Run /lesson to see them all."),
    );
  });

  it("GIVEN a few typed letters THEN autocomplete offers the matching lessons by id", async () => {
    const choices = await lesson.autocomplete?.(
      services,
      { name: "name", value: "TEMP" },
      {
        actor: alice,
        guildId,
        channelId: "c",
        receivedAt: now(),
      },
    );
    expect(choices).toEqual([{ name: "Sampling › Temperature", value: "temperature" }]);
  });
});

async function openAtLastSnippet(lessonId: string) {
  const invocation = commandInvocation("lesson", { name: lessonId });
  await lesson.execute(services, invocation);
  let view = invocation.reply.only("send");
  while (buttonsOf(view).some((button) => button.label === "Next")) {
    view = (await press(buttonLabelled(view, "Next").id)).only("update");
  }
  return view;
}
