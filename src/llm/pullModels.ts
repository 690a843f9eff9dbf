/**
 * `npm run models:pull`: downloads the configured BASE_MODEL and INSTRUCT_MODEL into MODELS_DIR
 * with node-llama-cpp's downloader (progress on the terminal). Files already there are skipped; an
 * interrupted download keeps its partial file and resumes on the next run.
 */
import { resolve } from "node:path";
import { createModelDownloader, type ModelDownloader } from "node-llama-cpp";
import { ConfigError, loadConfig, loadDotEnv } from "../config.ts";
import { planModelPulls } from "./planModelPulls.ts";

async function pullModels(): Promise<number> {
  loadDotEnv();
  const config = loadConfig();
  const modelsDir = resolve(config.MODELS_DIR);
  const steps = await planModelPulls(
    [
      { setting: "BASE_MODEL", spec: config.BASE_MODEL },
      { setting: "INSTRUCT_MODEL", spec: config.INSTRUCT_MODEL },
    ],
    modelsDir,
  );

  let failures = 0;
  let current: ModelDownloader | undefined;
  process.once("SIGINT", () => {
    console.error("\nInterrupted; the partial download is kept and resumes next time.");
    void current?.cancel({ deleteTempFile: false }).finally(() => process.exit(130));
  });

  for (const step of steps) {
    switch (step.action) {
      case "skip":
        console.error(`${step.setting}: already downloaded (${step.path})`);
        break;
      case "local":
        console.error(`${step.setting}: local file ${step.path}`);
        break;
      case "unavailable":
        console.error(
          `${step.setting}: no file at ${step.path}, and a path cannot be downloaded; use an hf: URI`,
        );
        failures++;
        break;
      case "download":
        try {
          console.error(`${step.setting}: downloading ${step.spec} into ${modelsDir}`);
          current = await createModelDownloader({
            modelUri: step.spec,
            dirPath: modelsDir,
            showCliProgress: true,
            skipExisting: true,
            deleteTempFileOnCancel: false,
          });
          const path = await current.download();
          console.error(`${step.setting}: saved ${path}`);
        } catch (error) {
          console.error(`${step.setting}: download failed: ${(error as Error).message}`);
          failures++;
        } finally {
          current = undefined;
        }
        break;
    }
  }
  return failures === 0 ? 0 : 1;
}

pullModels().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
