import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ThrottledEditor } from "../../src/ui/ThrottledEditor.ts";
import type { View } from "../../src/ui/view.ts";

function recorder(delayMs = 0) {
  const edits: { at: number; content: View["content"] }[] = [];
  return {
    edits,
    message: {
      async edit(view: View) {
        if (delayMs) await new Promise((resolve) => setTimeout(resolve, delayMs));
        edits.push({ at: Date.now(), content: view.content });
      },
    },
  };
}

describe("ThrottledEditor", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("GIVEN many updates within a second THEN sends at most one edit per second with the newest text", async () => {
    const { edits, message } = recorder();
    const editor = new ThrottledEditor(message);
    for (let i = 1; i <= 50; i++) {
      editor.show({ content: `t${i}` });
      await vi.advanceTimersByTimeAsync(60);
    }
    const finished = editor.finish({ content: "final" });
    await vi.runAllTimersAsync();
    await finished;
    const gaps = edits.slice(1).map((edit, i) => edit.at - (edits[i]?.at ?? 0));
    // 50 updates 60 ms apart span 3 s: the first goes out at once, then one a second, each the
    // newest at that moment, then the final view. No edits at all would fail here.
    expect(edits.map((edit) => edit.content)).toEqual(["t1", "t17", "t34", "t50", "final"]);
    expect(gaps.every((gap) => gap >= 1000)).toBe(true);
  });

  it("GIVEN a slow edit (a 429 being waited out) THEN never has two edits in flight", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const editor = new ThrottledEditor({
      async edit() {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 3000));
        inFlight -= 1;
      },
    });
    for (let i = 0; i < 40; i++) {
      editor.show({ content: `t${i}` });
      await vi.advanceTimersByTimeAsync(250);
    }
    const finished = editor.finish({ content: "final" });
    await vi.runAllTimersAsync();
    await finished;
    expect(maxInFlight).toBe(1);
    // 10 s of updates with each edit taking 3 s: about one edit every 3 s, and the final one.
    expect(editor.edits).toBeGreaterThanOrEqual(3);
    expect(editor.edits).toBeLessThan(10);
  });

  it("GIVEN finish with immediate (the member pressed Stop) THEN the final edit does not wait for the interval", async () => {
    const { edits, message } = recorder();
    const editor = new ThrottledEditor(message);
    editor.show({ content: "streaming" });
    await vi.advanceTimersByTimeAsync(100);
    expect(edits.map((edit) => edit.content)).toEqual(["streaming"]);

    const finished = editor.finish({ content: "stopped" }, { immediate: true });
    await vi.advanceTimersByTimeAsync(0);

    expect(edits.map((edit) => edit.content)).toEqual(["streaming", "stopped"]);
    expect((edits[1]?.at ?? 0) - (edits[0]?.at ?? 0)).toBe(100);
    await finished;
  });

  it("GIVEN cancel (a question revealed) THEN the edit in flight completes and no later count edit overwrites the reveal", async () => {
    const { edits, message } = recorder(300);
    const editor = new ThrottledEditor(message, { minIntervalMs: 2000 });
    editor.show({ content: "1 answered" });
    await vi.advanceTimersByTimeAsync(10);
    editor.show({ content: "2 answered" });
    const cancelled = editor.cancel();
    await vi.advanceTimersByTimeAsync(300);
    await cancelled;
    editor.show({ content: "3 answered" });
    await vi.runAllTimersAsync();
    expect(edits.map((edit) => edit.content)).toEqual(["1 answered"]);
  });
});
