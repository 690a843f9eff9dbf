import { describe, expect, it } from "vitest";
import { AlreadyRunningError } from "../../src/llm/errors/AlreadyRunningError.ts";
import { CooldownError } from "../../src/llm/errors/CooldownError.ts";
import { DeadlineError } from "../../src/llm/errors/DeadlineError.ts";
import { JobCancelledError } from "../../src/llm/errors/JobCancelledError.ts";
import { PromptTooLongError } from "../../src/llm/errors/PromptTooLongError.ts";
import { QueueClosedError } from "../../src/llm/errors/QueueClosedError.ts";
import { createMemberTurns, GenerationQueue, type JobContext } from "../../src/llm/GenerationQueue.ts";

/** A job whose end the test decides; it also ends when its signal is aborted. */
function controllableJob(
  userId: string,
  extra: { deadline?: number; timeLimitMs?: number; expectedRunMs?: number } = {},
) {
  let finish: (value: string) => void = () => {};
  const started: JobContext[] = [];
  const positions: number[] = [];
  return {
    positions,
    started,
    finish: (value = "done") => finish(value),
    request: {
      userId,
      promptTokens: 10,
      timeLimitMs: extra.timeLimitMs ?? 60_000,
      deadline: extra.deadline,
      expectedRunMs: extra.expectedRunMs,
      onPositionChange: (position: number) => positions.push(position),
      run: (context: JobContext) => {
        started.push(context);
        return new Promise<string>((resolve) => {
          finish = resolve;
          context.signal.addEventListener("abort", () => resolve("aborted"));
        });
      },
    },
  };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("GenerationQueue", () => {
  it("GIVEN one slot and three users THEN later jobs wait and see their position move up", async () => {
    const queue = new GenerationQueue({ slots: 1, cooldownSeconds: 0 });
    const [a, b, c] = [controllableJob("a"), controllableJob("b"), controllableJob("c")];
    const jobA = queue.submit(a.request);
    const jobB = queue.submit(b.request);
    const jobC = queue.submit(c.request);
    expect([jobA.position, jobB.position, jobC.position]).toEqual([0, 1, 2]);
    expect(a.started).toHaveLength(1);
    expect(b.started).toHaveLength(0);

    a.finish();
    await expect(jobA.result).resolves.toBe("done");
    await flush();
    expect(b.started).toHaveLength(1);
    expect(c.positions).toEqual([1]);
    expect(b.positions).toEqual([]);

    b.finish();
    await flush();
    c.finish();
    await expect(jobC.result).resolves.toBe("done");
  });

  it("GIVEN two slots THEN two jobs run at once, each in its own slot", () => {
    const queue = new GenerationQueue({ slots: 2 });
    const [a, b, c] = [controllableJob("a"), controllableJob("b"), controllableJob("c")];
    queue.submit(a.request);
    queue.submit(b.request);
    expect(queue.submit(c.request).position).toBe(1);
    expect([a.started[0]?.slot, b.started[0]?.slot]).toEqual([0, 1]);
  });

  it("GIVEN a member with a job queued or running WHEN they submit again THEN AlreadyRunningError", async () => {
    const queue = new GenerationQueue({ slots: 1, cooldownSeconds: 0 });
    const first = controllableJob("a");
    const job = queue.submit(first.request);
    expect(() => queue.submit(controllableJob("a").request)).toThrow(AlreadyRunningError);
    first.finish();
    await job.result;
    await flush();
    expect(() => queue.submit(controllableJob("a").request)).not.toThrow();
  });

  it("GIVEN a finished job WHEN the member submits within the cooldown THEN CooldownError with the seconds left", async () => {
    let now = 1_000_000;
    const queue = new GenerationQueue({ cooldownSeconds: 10, now: () => now });
    const first = controllableJob("a");
    const job = queue.submit(first.request);
    now += 2_000;
    first.finish();
    await job.result;
    await flush();
    now += 3_500;
    const error = (() => {
      try {
        queue.submit(controllableJob("a").request);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(CooldownError);
    expect((error as CooldownError).secondsLeft).toBe(7);
    expect((error as CooldownError).message).toBe("Please wait 7 more seconds before the next comparison.");
    expect(() => queue.submit(controllableJob("b").request)).not.toThrow();
    now += 6_500;
    expect(() => queue.submit(controllableJob("a").request)).not.toThrow();
  });

  it("GIVEN two queues sharing member turns (two pairs) THEN one run at a time and the cooldown hold across both", async () => {
    let now = 2_000_000;
    const members = createMemberTurns();
    const first = new GenerationQueue({ cooldownSeconds: 10, now: () => now, members });
    const second = new GenerationQueue({ cooldownSeconds: 10, now: () => now, members });
    const running = controllableJob("a");
    const job = first.submit(running.request);
    expect(() => second.submit(controllableJob("a").request)).toThrow(AlreadyRunningError);
    running.finish();
    await job.result;
    await flush();
    now += 1_000;
    expect(() => second.submit(controllableJob("a").request)).toThrow(CooldownError);
    expect(() => second.submit(controllableJob("b").request)).not.toThrow();
    now += 9_000;
    expect(() => second.submit(controllableJob("a").request)).not.toThrow();
  });

  it("GIVEN a prompt over the limit THEN PromptTooLongError states the limit", () => {
    const queue = new GenerationQueue({ maxPromptTokens: 32 });
    const request = { ...controllableJob("a").request, promptTokens: 40 };
    expect(() => queue.submit(request)).toThrow("Your prompt is 40 tokens long; the limit is 32 tokens.");
    expect(() => queue.submit(request)).toThrow(PromptTooLongError);
  });

  it("GIVEN a long queue WHEN the wait plus the time limit passes the deadline THEN the job is refused up front", () => {
    const now = 5_000_000;
    const queue = new GenerationQueue({ slots: 1, now: () => now });
    queue.submit(controllableJob("a", { timeLimitMs: 120_000 }).request);
    queue.submit(controllableJob("b", { timeLimitMs: 120_000 }).request);
    // Nothing has finished yet and no expectation was given, so each job ahead counts its full 2 minutes.
    expect(queue.estimateWaitMs()).toBe(240_000);
    const late = controllableJob("c", { timeLimitMs: 120_000, deadline: now + 300_000 });
    expect(() => queue.submit(late.request)).toThrow(DeadlineError);
    const onTime = controllableJob("d", { timeLimitMs: 120_000, deadline: now + 15 * 60_000 });
    expect(queue.submit(onTime.request).position).toBe(2);
  });

  it("GIVEN a deadline sooner than the time limit THEN the job's time limit is cut to fit", () => {
    const now = 1_000;
    const queue = new GenerationQueue({ now: () => now });
    const job = controllableJob("a", { timeLimitMs: 120_000, deadline: now + 60_000 });
    expect(() => queue.submit(job.request)).toThrow(DeadlineError);
    const fits = controllableJob("b", { timeLimitMs: 50_000, deadline: now + 60_000 });
    queue.submit(fits.request);
    expect(fits.started[0]?.timeLimitMs).toBe(50_000);
  });

  it("GIVEN a queued job WHEN it is cancelled THEN it rejects, never runs, and the others move up", async () => {
    const queue = new GenerationQueue({ slots: 1 });
    const [a, b, c] = [controllableJob("a"), controllableJob("b"), controllableJob("c")];
    queue.submit(a.request);
    const jobB = queue.submit(b.request);
    queue.submit(c.request);
    jobB.cancel();
    await expect(jobB.result).rejects.toBeInstanceOf(JobCancelledError);
    expect(c.positions).toEqual([1]);
    a.finish();
    await flush();
    expect(b.started).toHaveLength(0);
    expect(c.started).toHaveLength(1);
  });

  it("GIVEN a running job WHEN it is cancelled THEN its signal is aborted", async () => {
    const queue = new GenerationQueue();
    const a = controllableJob("a");
    const job = queue.submit(a.request);
    job.cancel();
    await expect(job.result).resolves.toBe("aborted");
    expect(a.started[0]?.signal.aborted).toBe(true);
  });

  it("GIVEN running and queued jobs WHEN the queue closes THEN running ones are aborted, queued ones rejected, new ones refused", async () => {
    const queue = new GenerationQueue({ slots: 1 });
    const [a, b] = [controllableJob("a"), controllableJob("b")];
    const jobA = queue.submit(a.request);
    const jobB = queue.submit(b.request);
    await queue.close();
    await expect(jobA.result).resolves.toBe("aborted");
    await expect(jobB.result).rejects.toBeInstanceOf(QueueClosedError);
    expect(() => queue.submit(controllableJob("c").request)).toThrow(QueueClosedError);
  });

  it("GIVEN a fresh queue and 30 jobs expected to take 200 ms each THEN all 30 are admitted", () => {
    const now = 1_000_000;
    const queue = new GenerationQueue({ slots: 1, now: () => now });
    const deadline = now + 14.5 * 60_000;
    const jobs = Array.from({ length: 30 }, (_, index) =>
      queue.submit(
        controllableJob(`member-${index}`, { timeLimitMs: 120_000, expectedRunMs: 200, deadline }).request,
      ),
    );
    expect(jobs.map((job) => job.position)).toEqual(Array.from({ length: 30 }, (_, index) => index));
    expect(queue.estimateWaitMs()).toBe(30 * 200);
  });

  it("GIVEN jobs expected to take a minute each THEN the one that cannot finish in time is refused with the true wait", () => {
    const now = 1_000_000;
    const queue = new GenerationQueue({ slots: 1, now: () => now });
    const deadline = now + 14.5 * 60_000;
    const submit = (index: number) =>
      queue.submit(
        controllableJob(`member-${index}`, { timeLimitMs: 120_000, expectedRunMs: 60_000, deadline }).request,
      );
    // 14 jobs ahead of the 15th: it would start after 14 minutes and need one more, past 14.5.
    for (let index = 0; index < 14; index++) submit(index);
    const error = (() => {
      try {
        submit(14);
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(DeadlineError);
    expect((error as DeadlineError).estimatedWaitMs).toBe(14 * 60_000);
    expect((error as DeadlineError).message).toContain("about 14 min wait");
  });

  it("GIVEN a job that ran longer than expected THEN the wait counts what it has already taken", () => {
    let now = 1_000_000;
    const queue = new GenerationQueue({ slots: 1, now: () => now });
    queue.submit(controllableJob("a", { timeLimitMs: 120_000, expectedRunMs: 1_000 }).request);
    now += 5_000;
    expect(queue.estimateWaitMs()).toBe(0);
    queue.submit(controllableJob("b", { timeLimitMs: 120_000, expectedRunMs: 1_000 }).request);
    expect(queue.estimateWaitMs()).toBe(1_000);
  });

  it("GIVEN a position listener that throws THEN the queue still moves and later jobs run", async () => {
    const queue = new GenerationQueue({ slots: 1, cooldownSeconds: 0 });
    const [a, b, c] = [controllableJob("a"), controllableJob("b"), controllableJob("c")];
    queue.submit(a.request);
    queue.submit(b.request);
    queue.submit({
      ...c.request,
      onPositionChange: () => {
        throw new Error("listener broke");
      },
    });
    a.finish();
    await flush();
    expect(b.started).toHaveLength(1);
    b.finish();
    await flush();
    expect(c.started).toHaveLength(1);
  });
});
