import { isModelUri, locateModelFile } from "./locateModelFile.ts";

export interface ModelPullRequest {
  /** Which setting names it, for messages: `BASE_MODEL`, `INSTRUCT_MODEL`. */
  setting: string;
  /** A GGUF path or an `hf:`/`https:` URI. */
  spec: string;
}

export type ModelPullStep =
  /** Already in the models folder: nothing to do. */
  | { action: "skip"; setting: string; spec: string; path: string }
  /** A URI not downloaded yet. */
  | { action: "download"; setting: string; spec: string }
  /** A path that exists: nothing to download. */
  | { action: "local"; setting: string; spec: string; path: string }
  /** A path that does not exist: nothing can be downloaded for it. */
  | { action: "unavailable"; setting: string; spec: string; path: string };

/**
 * What `npm run models:pull` has to do, decided offline: URIs whose file is already in
 * `modelsDir` are skipped, other URIs are downloaded, paths are only checked. The same URI named
 * twice is planned once.
 */
export async function planModelPulls(
  requests: readonly ModelPullRequest[],
  modelsDir: string,
): Promise<ModelPullStep[]> {
  const steps: ModelPullStep[] = [];
  const seen = new Set<string>();
  for (const { setting, spec } of requests) {
    if (seen.has(spec)) continue;
    seen.add(spec);
    const location = await locateModelFile(spec, modelsDir);
    if (isModelUri(spec)) {
      steps.push(
        location.kind === "found"
          ? { action: "skip", setting, spec, path: location.path }
          : { action: "download", setting, spec },
      );
    } else {
      steps.push(
        location.kind === "found"
          ? { action: "local", setting, spec, path: location.path }
          : { action: "unavailable", setting, spec, path: location.file },
      );
    }
  }
  return steps;
}
