import { SlashCommandBuilder } from "discord.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { answers, defineCommand, type SlashCommand } from "../../commands/command.ts";
import { UserError } from "../../src/errors.ts";
import { Dispatcher } from "../../src/interactions/Dispatcher.ts";
import { createLogger } from "../../src/logger.ts";
import type { Services } from "../../src/services.ts";
import type { AnswerPolicy } from "../../src/ui/interaction.ts";
import { incomingButton, incomingCommand } from "../commands/recordingReply.ts";

const logger = createLogger("silent");
let release: () => void = () => undefined;
const gate = () =>
  new Promise<void>((resolve) => {
    release = resolve;
  });

function command(
  name: string,
  answer: AnswerPolicy,
  body: SlashCommand<"now">["execute"],
): SlashCommand<"now"> {
  return defineCommand({
    data: new SlashCommandBuilder()
      .setName(name)
      .setDescription("test")
      .addNumberOption((option) =>
        option.setName("temperature").setDescription("t").setMinValue(0).setMaxValue(2),
      )
      .toJSON(),
    uses: ["now"],
    answer,
    execute: body,
    buttons: {
      [`${name}btn`]: { answer: answers.updateQuick, press: async () => undefined },
    },
  });
}

function dispatcherWith(...commands: SlashCommand<"now">[]) {
  // Only `now` is declared by these commands, and only `now` is passed to them.
  const services = { now: () => new Date(), logger } as Partial<Services> as Services;
  return new Dispatcher({ commands, services, logger, autoAcknowledgeMs: 1500 });
}

describe("Dispatcher: acknowledging as declared", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("GIVEN a slow public command THEN it is acknowledged publicly before its handler runs", async () => {
    const seen: boolean[] = [];
    const incoming = incomingCommand("slow");
    const dispatcher = dispatcherWith(
      command("slow", answers.publicSlow, async (_deps, invocation) => {
        seen.push(incoming.responder.acknowledged);
        await invocation.reply.send({ content: "done" });
      }),
    );
    await dispatcher.runCommand(incoming);
    expect(seen).toEqual([true]);
    expect(incoming.responder.acknowledgements).toEqual([answers.publicSlow]);
  });

  it("GIVEN a quick public command that takes too long THEN the runtime acknowledges it publicly, not privately", async () => {
    const incoming = incomingCommand("hang");
    const dispatcher = dispatcherWith(
      command("hang", answers.publicQuick, async (_deps, invocation) => {
        await gate();
        await invocation.reply.send({ content: "late" });
      }),
    );
    const run = dispatcher.runCommand(incoming);
    await vi.advanceTimersByTimeAsync(1400);
    expect(incoming.responder.acknowledgements).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    expect(incoming.responder.acknowledgements).toEqual([answers.publicQuick]);
    release();
    await run;
    expect(incoming.responder.replies.map((reply) => reply.method)).toEqual(["acknowledge", "send"]);
  });

  it("GIVEN a command whose answer depends on the subcommand THEN a slow private subcommand is acknowledged privately", async () => {
    const twoWays = defineCommand({
      data: new SlashCommandBuilder()
        .setName("room")
        .setDescription("test")
        .addSubcommand((sub) => sub.setName("show").setDescription("public"))
        .addSubcommand((sub) => sub.setName("mine").setDescription("private"))
        .toJSON(),
      uses: ["now"],
      answer: (subcommand) => (subcommand === "mine" ? answers.privateQuick : answers.publicQuick),
      execute: async (_deps, invocation) => {
        await gate();
        await invocation.reply.send({ content: "late" });
      },
    });
    const dispatcher = dispatcherWith(twoWays);
    for (const [subcommand, expected] of [
      ["mine", answers.privateQuick],
      ["show", answers.publicQuick],
    ] as const) {
      const incoming = { ...incomingCommand("room"), subcommand };
      const run = dispatcher.runCommand(incoming);
      await vi.advanceTimersByTimeAsync(1600);
      expect(incoming.responder.acknowledgements).toEqual([expected]);
      release();
      await run;
    }
  });

  it("GIVEN an option of the wrong type THEN the member is told privately and the handler never runs", async () => {
    let ran = false;
    const incoming = incomingCommand("strict", { temperature: "hot" });
    const dispatcher = dispatcherWith(
      command("strict", answers.publicSlow, async () => {
        ran = true;
      }),
    );
    await dispatcher.runCommand(incoming);
    expect(ran).toBe(false);
    const view = incoming.responder.only("fail");
    expect(JSON.stringify(view)).toContain("temperature must be a number from 0 to 2");
    // Refused before acknowledging: nothing public was ever shown.
    expect(incoming.responder.replies.map((reply) => reply.method)).toEqual(["fail"]);
  });

  it("GIVEN a handler that throws a UserError THEN the runtime reports it through fail, never through send", async () => {
    const incoming = incomingCommand("refuse");
    const dispatcher = dispatcherWith(
      command("refuse", answers.publicQuick, async () => {
        throw new UserError("Not now.");
      }),
    );
    await dispatcher.runCommand(incoming);
    expect(JSON.stringify(incoming.responder.only("fail"))).toContain("Not now.");
  });

  it("GIVEN a button whose handler answers nothing THEN the runtime acknowledges it silently as an update", async () => {
    const incoming = incomingButton("quietbtn:x");
    const dispatcher = dispatcherWith(command("quiet", answers.publicQuick, async () => undefined));
    await dispatcher.runButton(incoming);
    expect(incoming.responder.acknowledgements).toEqual([{ visibility: "update", speed: "quick" }]);
  });

  it("GIVEN a closed dispatcher THEN new work is refused politely", async () => {
    const dispatcher = dispatcherWith(command("late", answers.publicQuick, async () => undefined));
    await dispatcher.close();
    const incoming = incomingCommand("late");
    await dispatcher.runCommand(incoming);
    expect(JSON.stringify(incoming.responder.only("fail"))).toContain("restarting");
  });
});
