import { afterAll, describe, expect, it } from "vitest";
import type { App } from "../../src/app.ts";
import { temporaryFolder } from "../support/startTestBot.ts";
import { PlaygroundSession } from "./PlaygroundSession.ts";

/*
 * `/class history` in the terminal: the menu of past classes becomes numbered choices, and a
 * number re-opens that class's summary (its card written beside the other playground files).
 */
describe("class history in the playground", () => {
  const folder = temporaryFolder("lm-tutor-playground-class-history-");
  const apps: App[] = [];

  afterAll(async () => {
    for (const app of apps) await app.close();
    folder.remove();
  });

  it("GIVEN an ended class THEN /class history lists it and a number re-opens its summary", async () => {
    const { app, session } = await PlaygroundSession.open(folder.dir);
    apps.push(app);
    await session.type("/class start lesson:base-models questions:1");
    await session.typeUntil("/class end", "Final scoreboard");
    const history = await session.type("/class history");
    expect(history).toContain("(only you can see this)");
    expect(history).toMatch(/1\. Base models · \d{4}-\d\d-\d\d \d\d:\d\d UTC · hosted by you/);
    expect(history).toContain("0 participants · 0 questions · no answers · ended by the host");
    expect(history).toContain("[1] 1. Base models");
    const past = await session.typeUntil("1", "Class over · Base models");
    expect(past).toContain("(only you can see this)");
    expect(past).toMatch(/\(file written to .+class-summary\.png\)/);
    await session.end();
  });
});
