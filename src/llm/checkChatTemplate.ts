import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { ChatTemplateError } from "./errors/ChatTemplateError.ts";

export interface CheckChatTemplateOptions {
  /** Longest a short conversation may take to render, worker start included, in ms. Default 5 000. */
  timeLimitMs?: number;
  /** Heap the rendering may use, in MB. Default 64. */
  memoryLimitMb?: number;
}

/** Runs in the worker: renders a short conversation and says when it is done (or failed). */
const workerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const { Template } = require(workerData.jinja);
try {
  new Template(workerData.template).render({
    messages: [
      { role: "system", content: "You are helpful." },
      { role: "user", content: "Hello" },
      { role: "assistant", content: "Hi" },
      { role: "user", content: "Bye" },
    ],
    bos_token: "<s>",
    eos_token: "</s>",
    add_generation_prompt: true,
  });
} catch {
  // A template that throws is reported where it is used; only one that never ends matters here.
}
parentPort.postMessage("done");
`;

/**
 * Makes sure a chat template that came from elsewhere (a server's `/props`) renders a short
 * conversation within a time and memory limit. Jinja rendering is synchronous, so a template with
 * nested loops of a billion steps would freeze the bot for good; it is tried in a worker thread
 * first, which is stopped when it overruns. Throws a {@link ChatTemplateError} saying so.
 */
export async function checkChatTemplate(
  template: string,
  options: CheckChatTemplateOptions = {},
): Promise<void> {
  const timeLimitMs = options.timeLimitMs ?? 5000;
  const jinja = createRequire(import.meta.url).resolve("@huggingface/jinja");
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: { jinja, template },
    resourceLimits: { maxOldGenerationSizeMb: options.memoryLimitMb ?? 64 },
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await new Promise<void>((resolve, reject) => {
      const overrun = () =>
        reject(
          new ChatTemplateError(
            `did not render a short conversation within ${Math.round(timeLimitMs / 1000)} s, or used too much memory`,
          ),
        );
      timer = setTimeout(overrun, timeLimitMs);
      worker.once("message", () => resolve());
      worker.once("error", overrun);
      worker.once("exit", overrun);
    });
  } finally {
    clearTimeout(timer);
    await worker.terminate();
  }
}
