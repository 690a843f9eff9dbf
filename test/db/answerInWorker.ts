/**
 * Worker for the concurrency test: opens its own connection, waits until every worker is ready,
 * then answers the same quiz question at the same moment as the others.
 */
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../../src/db/openDatabase.ts";
import { QuizService } from "../../src/quiz/QuizService.ts";
import { sampleContent } from "../quiz/fixtures.ts";

interface AnswerJob {
  databasePath: string;
  guildId: string;
  userId: string;
  runId: string;
  position: number;
  /** Int32 counter of workers ready; each waits until it reaches `workers`. */
  ready: SharedArrayBuffer;
  workers: number;
}

const job = workerData as AnswerJob;
const { db, close } = openDatabase(job.databasePath);
const quiz = new QuizService({ db, content: sampleContent(), now: () => new Date() });
const ready = new Int32Array(job.ready);
Atomics.add(ready, 0, 1);
Atomics.notify(ready, 0);
while (Atomics.load(ready, 0) < job.workers) Atomics.wait(ready, 0, Atomics.load(ready, 0), 50);
try {
  const step = await quiz.answer(
    { guildId: job.guildId, userId: job.userId },
    { runId: job.runId, questionIndex: 0, position: job.position },
  );
  parentPort?.postMessage({ duplicate: step.duplicate });
} finally {
  close();
}
