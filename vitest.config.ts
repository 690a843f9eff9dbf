import { defineConfig } from "vitest/config";

/**
 * Three projects, chosen by where a test lives so new files land in the right one by themselves:
 * - `e2e`: real discord.js against the Discord double, or anything else that loads discord.js:
 *   `test/e2e/`, `test/discord/`, `test/commands/`, `test/playground/` and any `*.discord.test.ts`.
 * - `model`: the model-backed features with real GGUF files, one file at a time:
 *   `test/llm/`, `test/nexttoken/`, `test/compare/` and any `*.model.test.ts`.
 * - `unit`: everything else; no model, no double, no discord.js (`npm run test:unit`).
 */
const e2e = [
  "test/e2e/**/*.test.ts",
  "test/discord/**/*.test.ts",
  "test/commands/**/*.test.ts",
  "test/playground/**/*.test.ts",
  "test/**/*.discord.test.ts",
];
const model = [
  "test/llm/**/*.test.ts",
  "test/nexttoken/**/*.test.ts",
  "test/compare/**/*.test.ts",
  "test/**/*.model.test.ts",
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Model tests load native llama.cpp; two workers keep a 2-core machine responsive.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: { name: "unit", include: ["test/**/*.test.ts"], exclude: [...e2e, ...model] },
      },
      {
        extends: true,
        test: { name: "model", include: model, exclude: e2e, fileParallelism: false },
      },
      { extends: true, test: { name: "e2e", include: e2e } },
    ],
  },
});
