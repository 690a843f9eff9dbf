import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MessageAddress } from "../../src/ui/interaction.ts";
import { LiveMessages } from "../../src/ui/LiveMessages.ts";
import type { View } from "../../src/ui/view.ts";

/** An editor whose edits take `delayMs` each, recording start and end of every edit per message. */
function slowEditor(delayMs: number) {
  const log: string[] = [];
  return {
    log,
    editor: {
      async edit(address: MessageAddress, view: View) {
        log.push(`start ${address.messageId} ${String(view.content)}`);
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        log.push(`end ${address.messageId} ${String(view.content)}`);
      },
    },
  };
}

const first = { channelId: "c", messageId: "m1" };
const second = { channelId: "c", messageId: "m2" };

describe("LiveMessages", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("GIVEN two edits of one message THEN the second starts only after the first ended", async () => {
    const { log, editor } = slowEditor(100);
    const live = new LiveMessages(editor);
    const done = Promise.all([live.edit(first, { content: "a" }), live.edit(first, { content: "b" })]);
    await vi.advanceTimersByTimeAsync(250);
    await done;
    expect(log).toEqual(["start m1 a", "end m1 a", "start m1 b", "end m1 b"]);
  });

  it("GIVEN edits of two messages THEN they do not wait for each other", async () => {
    const { log, editor } = slowEditor(100);
    const live = new LiveMessages(editor);
    const done = Promise.all([live.edit(first, { content: "a" }), live.edit(second, { content: "b" })]);
    await vi.advanceTimersByTimeAsync(150);
    await done;
    expect(log.slice(0, 2)).toEqual(["start m1 a", "start m2 b"]);
  });

  it("GIVEN a failed edit THEN later edits of the message still run and the failure reaches its caller", async () => {
    let calls = 0;
    const live = new LiveMessages({
      async edit() {
        calls += 1;
        if (calls === 1) throw new Error("429");
      },
    });
    await expect(live.edit(first, { content: "a" })).rejects.toThrow("429");
    await live.edit(first, { content: "b" });
    expect(calls).toBe(2);
  });

  it("GIVEN a stream THEN rapid states become at most one edit per interval, ending with the final view", async () => {
    const { log, editor } = slowEditor(0);
    const live = new LiveMessages(editor, { minIntervalMs: 1000 });
    const stream = live.stream(first);
    for (const content of ["1", "2", "3"]) stream.show({ content });
    await vi.advanceTimersByTimeAsync(10);
    for (const content of ["4", "5"]) stream.show({ content });
    await vi.advanceTimersByTimeAsync(1000);
    const finished = stream.finish({ content: "final" });
    await vi.advanceTimersByTimeAsync(1000);
    await finished;
    expect(log.filter((line) => line.startsWith("end"))).toEqual(["end m1 3", "end m1 5", "end m1 final"]);
    expect(stream.edits).toBe(3);
  });
});
