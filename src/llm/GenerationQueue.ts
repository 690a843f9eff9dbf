import { AlreadyRunningError } from "./errors/AlreadyRunningError.ts";
import { CooldownError } from "./errors/CooldownError.ts";
import { DeadlineError } from "./errors/DeadlineError.ts";
import { JobCancelledError } from "./errors/JobCancelledError.ts";
import { PromptTooLongError } from "./errors/PromptTooLongError.ts";
import { QueueClosedError } from "./errors/QueueClosedError.ts";

export interface GenerationQueueOptions {
  /** Jobs that run at once; job `n` of those running gets slot `n`. Default 1. */
  slots?: number;
  /** Longest prompt accepted, in tokens. Default 512. */
  maxPromptTokens?: number;
  /** Seconds a user waits between two jobs, counted from the end of the previous one. Default 10. */
  cooldownSeconds?: number;
  /** Jobs with less time than this before their deadline when their turn comes are refused, in ms. Default 5000. */
  minRunMs?: number;
  /** The clock, in epoch ms. Default `Date.now`. */
  now?: () => number;
  /**
   * Who is running a job and when each member's last one ended. Queues that share it (one per model
   * pair) apply one-job-at-a-time and the cooldown across all of them. Default: this queue's own.
   */
  members?: MemberTurns;
}

/** Per-member state that the rules of {@link GenerationQueue} need; shared by queues of one bot. */
export interface MemberTurns {
  readonly busy: Set<string>;
  readonly lastFinished: Map<string, number>;
}

export function createMemberTurns(): MemberTurns {
  return { busy: new Set(), lastFinished: new Map() };
}

export interface JobContext {
  /** Which slot runs the job: `0 … slots - 1`. No two running jobs share one. */
  slot: number;
  /** Aborted when the job is cancelled or the queue shuts down. */
  signal: AbortSignal;
  /** The job's time limit, shortened so that it ends before its deadline. */
  timeLimitMs: number;
}

export interface JobRequest<T> {
  userId: string;
  /** Size of the prompt, checked against `maxPromptTokens`. */
  promptTokens: number;
  /** Longest the job runs once started, in ms. */
  timeLimitMs: number;
  /**
   * How long the job is expected to run, in ms (capped at `timeLimitMs`): what wait estimates, and
   * so the refusal of jobs that could not meet their deadline, count for it. Default: the running
   * average of finished jobs, or `timeLimitMs` before any has finished.
   */
  expectedRunMs?: number;
  /** Epoch ms by which the job must be over (a Discord interaction token lives 15 minutes). Default: none. */
  deadline?: number;
  /** Called while the job waits, each time its place changes (1 = next to start). */
  onPositionChange?: (position: number) => void;
  /** The work itself, called as the job starts (possibly inside `submit`); the slot is busy until it settles. */
  run: (context: JobContext) => Promise<T>;
}

export interface QueuedJob<T> {
  readonly id: number;
  /** Place in the queue when submitted: 0 = started at once, 1 = next to start… */
  readonly position: number;
  /** Settles with the job's outcome; rejects with {@link JobCancelledError}, {@link QueueClosedError} or {@link DeadlineError} when it never ran. */
  readonly result: Promise<T>;
  /** A queued job is dropped; a running one has its signal aborted. */
  cancel(): void;
}

interface Job {
  id: number;
  request: JobRequest<unknown>;
  controller: AbortController;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  position: number;
  startedAt?: number;
  slot?: number;
}

/** Weight of the newest run in the running average of run times that wait estimates use. */
const AVERAGE_WEIGHT = 0.3;

/**
 * A first-in first-out queue of generation jobs over a fixed number of slots (one sequence of each
 * model per slot). It enforces the per-user rules (one job at a time, cooldown, prompt length), refuses
 * jobs that could not finish before their deadline, and drains on shutdown.
 */
export class GenerationQueue {
  readonly slots: number;
  private readonly promptLimit: number;
  private readonly cooldownMs: number;
  private readonly minRunMs: number;
  private readonly now: () => number;
  private readonly waiting: Job[] = [];
  private readonly running = new Map<number, Job>();
  private readonly runningPromises = new Set<Promise<unknown>>();
  private readonly busyUsers: Set<string>;
  private readonly lastFinished: Map<string, number>;
  private averageRunMs: number | undefined;
  private nextId = 1;
  private closed = false;

  constructor(options: GenerationQueueOptions = {}) {
    this.slots = options.slots ?? 1;
    this.promptLimit = options.maxPromptTokens ?? 512;
    this.cooldownMs = (options.cooldownSeconds ?? 10) * 1000;
    const members = options.members ?? createMemberTurns();
    this.busyUsers = members.busy;
    this.lastFinished = members.lastFinished;
    this.minRunMs = options.minRunMs ?? 5000;
    this.now = options.now ?? Date.now;
  }

  /** Longest prompt accepted, in tokens. */
  get maxPromptTokens(): number {
    return this.promptLimit;
  }

  /** Jobs waiting for a slot. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Jobs holding a slot. */
  get runningCount(): number {
    return this.running.size;
  }

  /**
   * Queues a job, or starts it at once when a slot is free. Throws, without queueing, a
   * {@link QueueClosedError}, {@link AlreadyRunningError}, {@link CooldownError},
   * {@link PromptTooLongError} or {@link DeadlineError}.
   */
  submit<T>(request: JobRequest<T>): QueuedJob<T> {
    if (this.closed) throw new QueueClosedError();
    if (this.busyUsers.has(request.userId)) throw new AlreadyRunningError();
    const now = this.now();
    const readyAt = (this.lastFinished.get(request.userId) ?? Number.NEGATIVE_INFINITY) + this.cooldownMs;
    if (readyAt > now) throw new CooldownError(Math.ceil((readyAt - now) / 1000));
    if (request.promptTokens > this.promptLimit) {
      throw new PromptTooLongError(request.promptTokens, this.promptLimit);
    }
    const waitMs = this.estimateWaitMs();
    if (request.deadline !== undefined && now + waitMs + this.expectedRunMs(request) > request.deadline) {
      throw new DeadlineError(waitMs);
    }

    let resolve: (value: unknown) => void = () => {};
    let reject: (error: unknown) => void = () => {};
    const result = new Promise<T>((resolveResult, rejectResult) => {
      resolve = resolveResult as (value: unknown) => void;
      reject = rejectResult;
    });
    // Whoever submitted may never look at a job that was dropped; that is not an unhandled error.
    result.catch(() => {});
    const job: Job = {
      id: this.nextId++,
      request: request as JobRequest<unknown>,
      controller: new AbortController(),
      resolve,
      reject,
      position: this.waiting.length + 1,
    };
    this.busyUsers.add(request.userId);
    this.waiting.push(job);
    this.pump();
    return {
      id: job.id,
      position: job.startedAt === undefined ? job.position : 0,
      result,
      cancel: () => this.cancel(job),
    };
  }

  /**
   * Expected wait before a new job would start, in ms: each running job is assumed to take its
   * expected run time (at least what it has already taken, at most its limit), each queued one its
   * expected run time (see {@link JobRequest.expectedRunMs}).
   */
  estimateWaitMs(): number {
    const now = this.now();
    const slotFreeAt: number[] = [];
    for (const job of this.running.values()) {
      const startedAt = job.startedAt ?? now;
      const expectedEnd =
        startedAt +
        Math.min(Math.max(this.expectedRunMs(job.request), now - startedAt), job.request.timeLimitMs);
      slotFreeAt.push(Math.max(now, expectedEnd));
    }
    while (slotFreeAt.length < this.slots) slotFreeAt.push(now);
    for (const job of this.waiting) {
      slotFreeAt.sort((a, b) => a - b);
      slotFreeAt[0] = (slotFreeAt[0] ?? now) + this.expectedRunMs(job.request);
    }
    return Math.max(0, Math.min(...slotFreeAt) - now);
  }

  private expectedRunMs(request: JobRequest<unknown>): number {
    return Math.min(request.expectedRunMs ?? this.averageRunMs ?? request.timeLimitMs, request.timeLimitMs);
  }

  /**
   * Stops taking jobs, rejects queued ones with a {@link QueueClosedError} (they never start),
   * aborts running ones with a `QueueClosedError` as the abort reason, and resolves once every
   * running job has settled. Calling it again waits for the same jobs.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.waiting.splice(0)) {
      this.busyUsers.delete(job.request.userId);
      job.reject(new QueueClosedError());
    }
    for (const job of this.running.values()) job.controller.abort(new QueueClosedError());
    await Promise.allSettled([...this.runningPromises]);
  }

  private cancel(job: Job): void {
    const index = this.waiting.indexOf(job);
    if (index >= 0) {
      this.waiting.splice(index, 1);
      this.busyUsers.delete(job.request.userId);
      job.reject(new JobCancelledError());
      this.notifyPositions();
    } else if (this.running.has(job.id)) {
      job.controller.abort(new JobCancelledError("Stopped."));
    }
  }

  private freeSlot(): number | undefined {
    const taken = new Set([...this.running.values()].map((job) => job.slot));
    for (let slot = 0; slot < this.slots; slot++) if (!taken.has(slot)) return slot;
    return undefined;
  }

  private pump(): void {
    let changed = false;
    for (let slot = this.freeSlot(); slot !== undefined && this.waiting.length > 0; slot = this.freeSlot()) {
      const job = this.waiting.shift() as Job;
      changed = true;
      this.start(job, slot);
    }
    if (changed) this.notifyPositions();
  }

  private start(job: Job, slot: number): void {
    const now = this.now();
    const { request } = job;
    const timeLeft = request.deadline === undefined ? Number.POSITIVE_INFINITY : request.deadline - now;
    if (timeLeft < this.minRunMs) {
      this.busyUsers.delete(request.userId);
      job.reject(
        new DeadlineError(0, "Your turn in the queue came too late to finish in time. Please try again."),
      );
      return;
    }
    job.startedAt = now;
    job.slot = slot;
    this.running.set(job.id, job);
    const context: JobContext = {
      slot,
      signal: job.controller.signal,
      timeLimitMs: Math.min(request.timeLimitMs, timeLeft),
    };
    let outcome: Promise<unknown>;
    try {
      outcome = Promise.resolve(request.run(context));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    const settled = outcome.then(job.resolve, job.reject).finally(() => {
      const finishedAt = this.now();
      const took = finishedAt - now;
      this.averageRunMs =
        this.averageRunMs === undefined
          ? took
          : this.averageRunMs + AVERAGE_WEIGHT * (took - this.averageRunMs);
      this.running.delete(job.id);
      this.runningPromises.delete(settled);
      this.busyUsers.delete(request.userId);
      this.lastFinished.set(request.userId, finishedAt);
      if (!this.closed) this.pump();
    });
    this.runningPromises.add(settled);
  }

  private notifyPositions(): void {
    for (const [index, job] of this.waiting.entries()) {
      const position = index + 1;
      if (position !== job.position) {
        job.position = position;
        try {
          job.request.onPositionChange?.(position);
        } catch {
          // A listener's failure must not stop the queue from moving; the job itself is unaffected.
        }
      }
    }
  }
}
