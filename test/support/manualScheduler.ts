import type { ClassScheduler } from "../../src/classes/ClassScheduler.ts";

/** A {@link ClassScheduler} the test drives: nothing runs until the test says the time has come. */
export class ManualScheduler implements ClassScheduler {
  private readonly tasks = new Set<{ delayMs: number; run: () => void }>();

  schedule(delayMs: number, run: () => void): () => void {
    const task = { delayMs, run };
    this.tasks.add(task);
    return () => this.tasks.delete(task);
  }

  /** Delays of the tasks still waiting, shortest first. */
  get pending(): number[] {
    return [...this.tasks].map((task) => task.delayMs).sort((a, b) => a - b);
  }

  /** Runs (once) every waiting task scheduled with a delay up to `maxDelayMs`; returns how many ran. */
  runDue(maxDelayMs: number): number {
    const due = [...this.tasks].filter((task) => task.delayMs <= maxDelayMs);
    for (const task of due) {
      this.tasks.delete(task);
      task.run();
    }
    return due.length;
  }
}
