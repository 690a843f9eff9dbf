import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { decodePng } from "../charts/decodePng.ts";
import { temporaryFolder } from "../support/startTestBot.ts";
import { PlaygroundSession, rightAnswer } from "./PlaygroundSession.ts";

/*
 * A whole class in the terminal, as issue 8 promises: the host at the keyboard, two members
 * played with as:. The real app (database, lessons, class service with real timers) in-process;
 * no model is needed, since the classes below run no demo. The second shows the host skipping a
 * mistaken question.
 */

/** The number of the enabled button labelled `label` in `screen`, the last time it was shown. */
function numberOf(screen: string, label: string): string {
  const found = [...screen.matchAll(/\[(\d+)\] ([^[\n]+?)(?= {2}\[|\n|$)/g)].filter(
    (match) => match[2]?.trim() === label,
  );
  const number = found.at(-1)?.[1];
  if (number === undefined) throw new Error(`no [n] ${label} on screen:\n${screen}`);
  return number;
}

describe("a class in the playground", () => {
  const folder = temporaryFolder("lm-tutor-playground-class-");
  const apps: App[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
    folder.remove();
  });

  it("GIVEN the host starts a class THEN bob and carol answer with as:, the host reveals, and the scoreboard, end and leaderboard name them", async () => {
    const { app, session } = await PlaygroundSession.open(folder.dir);
    apps.push(app);

    const stage = await session.type("/class start lesson:base-models question_seconds:120 questions:1");
    expect(stage).toContain("Class · Base models");
    expect(stage).toContain("Host: you");
    expect(stage).not.toContain("(only");

    // Members have no Manage Messages: /class is refused to them, as Discord would hide it.
    expect(await session.type("as:bob /class start lesson:base-models")).toContain(
      "bob can't use /class: it needs Manage Messages",
    );

    const question = await session.typeUntil(numberOf(stage, "Question"), "is open · closes in");
    expect(question).toContain("Question 1 of 1 · Base models");
    // The stage shows the open question, and its Question button waits for the reveal.
    const stageOpen = question.slice(question.lastIndexOf("Class · Base models"));
    expect(stageOpen).toMatch(/Questions: Question 1 of 1 is open · closes in \d+ (s|min)/);
    expect(stageOpen).toContain("[-] Question");
    const right = rightAnswer(question, app.services.content);
    const wrong = ["1", "2", "3", "4"].find((number) => number !== right) ?? "";

    // The host hands the class over: the stage is edited (reprinted) after the question was
    // posted, yet a bare number still presses the question, the message posted last.
    expect(await session.typeUntil("/class host member:dana", "Host: dana")).toContain(
      "The class is now hosted by dana",
    );
    expect(await session.type(`as:carol ${wrong}`)).toMatch(/only carol sees this[\s\S]*Locked in/);
    expect(await session.typeUntil("/class host member:you", "Host: you")).toContain(
      "The class is now hosted by you",
    );

    const bobs = await session.type(`as:bob ${right}`);
    expect(bobs).toContain("(only bob sees this)");
    expect(bobs).toContain("Locked in");
    // A second click is told which answer counted.
    expect(await session.type(`as:bob ${wrong}`)).toMatch(/only bob sees this[\s\S]*first click/);
    // Only the host reveals.
    const reveal = numberOf(question, "Reveal now (host)");
    expect(await session.type(`as:carol ${reveal}`)).toMatch(/only carol sees this[\s\S]*⚠️ Only the host/);

    const revealed = await session.typeUntil(reveal, "Fastest right answers: 1. bob");
    expect(revealed).toContain("Right: 1 of 2");
    // The choices are gone; the last question's reveal offers the scoreboard and the end, for
    // the host only.
    expect(revealed).not.toMatch(/\[\d+\] A\b/);
    const scores = numberOf(revealed, "Scoreboard (host)");
    expect(await session.type(`as:bob ${scores}`)).toMatch(/only bob sees this[\s\S]*⚠️ Only the host/);

    const board = await session.typeUntil(scores, "Scoreboard · Base models");
    expect(board).toMatch(/1\. bob · \d+ pts · 1\/1 right/);
    expect(board).toMatch(/2\. carol · 0 pts · 0\/1 right/);

    const ended = await session.typeUntil(numberOf(revealed, "End class (host)"), "Final scoreboard");
    expect(ended).toContain("2 participants · 1 question");
    expect(ended).toContain("Accuracy: 50%");
    expect(ended).toMatch(/Podium: 🥇 bob \(\d+\)/);
    // The summary card is written beside the other playground files.
    const card = /\(file written to (.+class-summary\.png)\)/.exec(ended)?.[1];
    if (card === undefined) throw new Error(`no summary card written:\n${ended}`);
    const image = decodePng(readFileSync(card));
    expect({ width: image.width, height: image.height }).toEqual({ width: 900, height: 676 });

    expect(await session.type("/leaderboard")).toMatch(/1\. bob — \d+ points/);
    await session.end();
    // Members are named, never shown by their ids.
    expect(session.text).not.toMatch(/playground-(you|bob|carol)/);
  });

  it("GIVEN bob answered a mistaken question THEN only the host's Skip voids it: no points for bob, and Next question asks another one", async () => {
    const own = temporaryFolder("lm-tutor-playground-skip-");
    const { app, session } = await PlaygroundSession.open(own.dir);
    apps.push(app);
    try {
      const stage = await session.type("/class start lesson:base-models question_seconds:120 questions:2");
      const question = await session.typeUntil(numberOf(stage, "Question"), "is open · closes in");
      expect(question).toContain("Question 1 of 2 · Base models");
      const right = rightAnswer(question, app.services.content);
      expect(await session.type(`as:bob ${right}`)).toContain("Locked in");

      const skip = numberOf(question, "Skip (host)");
      expect(await session.type(`as:bob ${skip}`)).toMatch(/only bob sees this[\s\S]*⚠️ Only the host/);
      const skipped = await session.typeUntil(skip, "Skipped by the host");
      expect(skipped).not.toMatch(/\[\d+\] A\b/);
      const scores = await session.typeUntil(
        numberOf(skipped, "Scoreboard (host)"),
        "Scoreboard · Base models",
      );
      expect(scores).toContain("After 0 questions");
      expect(scores).not.toMatch(/bob · \d+ pts/);

      const next = await session.typeUntil(numberOf(skipped, "Next question (host)"), "Question 2 of 2");
      expect(next).toContain("Questions: Question 2 of 2 is open");
      const asked = app.database.sqlite
        .prepare("select count(distinct question_id) as n from class_rounds")
        .get() as { n: number };
      expect(asked.n).toBe(2);
      expect(await session.type("/leaderboard")).not.toMatch(/bob — \d+ points/);
      await session.end();
    } finally {
      own.remove();
    }
  });
});
