import { Worker } from "node:worker_threads";

/** Another program holding the database's write lock, in its own thread. */
export interface WriteLockHolder {
  /** Resolves once the lock has been released and the holder's connection closed. */
  released: Promise<void>;
}

// Plain JavaScript: eval workers do not get vitest's TypeScript support. Atomics.wait sleeps
// only the worker's thread, as a backup script or a second bot in another process would.
const holderSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require("better-sqlite3");
const db = new Database(workerData.databasePath, { timeout: 0 });
db.exec("BEGIN IMMEDIATE");
parentPort.postMessage("locked");
Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
db.exec("ROLLBACK");
db.close();
`;

/**
 * Takes the write lock (`BEGIN IMMEDIATE`) on `databasePath` from a worker thread and holds it
 * for `holdMs`; resolves once the lock is taken.
 */
export function holdWriteLock(databasePath: string, holdMs: number): Promise<WriteLockHolder> {
  const worker = new Worker(holderSource, { eval: true, workerData: { databasePath, holdMs } });
  const released = new Promise<void>((resolve, reject) => {
    worker.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`lock holder exited with ${code}`)),
    );
  });
  return new Promise((resolve, reject) => {
    worker.once("message", () => resolve({ released }));
    worker.once("error", reject);
  });
}
