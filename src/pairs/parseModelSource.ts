import type { ModelSource } from "./ModelPair.ts";

/** Why a source text was refused, phrased for the operator. */
export class ModelSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelSourceError";
  }
}

export interface ParseModelSourceOptions {
  /**
   * Accept the older `hf:<user>/<repo>:<quant>` form, which lets node-llama-cpp pick a file.
   * BASE_MODEL/INSTRUCT_MODEL keep accepting it; the catalogue and the operator file name files
   * exactly. Default false.
   */
  allowHfTag?: boolean;
}

/**
 * Reads the text form of a {@link ModelSource}:
 * - `hf:<user>/<repo>/<file>.gguf` (or a deeper path) → a file on Hugging Face;
 * - `engine:<engine id>` or `engine:<engine id>/<model name>` → a model served by an engine (the
 *   model name may contain slashes, as vLLM names do: `engine:gpu/Qwen/Qwen2.5-7B-Instruct`);
 * - anything else → a GGUF path on this machine.
 */
export function parseModelSource(text: string, options: ParseModelSourceOptions = {}): ModelSource {
  const value = text.trim();
  if (value === "") throw new ModelSourceError("is empty; give a GGUF path, an hf: URI or engine:<id>");
  if (/^engine:/i.test(value)) {
    const rest = value.slice("engine:".length);
    const slash = rest.indexOf("/");
    const engine = slash === -1 ? rest : rest.slice(0, slash);
    const model = slash === -1 ? "" : rest.slice(slash + 1);
    if (!/^[A-Za-z0-9][\w.-]*$/.test(engine)) {
      throw new ModelSourceError(
        `"${value}" does not name an engine; write engine:<engine id> or engine:<engine id>/<model>`,
      );
    }
    return model === "" ? { kind: "engine", engine } : { kind: "engine", engine, model };
  }
  if (/^(hf|huggingface):/i.test(value)) {
    const path = value.slice(value.indexOf(":") + 1).replace(/^\/\//, "");
    const parts = path.split("/");
    const exact = parts.length >= 3 && parts.every((part) => part !== "") && /\.gguf$/i.test(path);
    const tagged = parts.length === 2 && parts.every((part) => part !== "");
    if (exact || (tagged && options.allowHfTag)) return { kind: "hf", uri: `hf:${path}` };
    throw new ModelSourceError(
      `"${value}" does not name a file; write hf:<user>/<repo>/<file>.gguf (the exact file in the repository)`,
    );
  }
  return { kind: "file", path: value };
}

/**
 * The spec string the in-process loader understands (a path or an `hf:` URI); an engine source
 * has none and gets a readable placeholder instead.
 */
export function modelSourceSpec(source: ModelSource): string {
  // A path and a URI are their own spec; an engine's text form reads well as a placeholder.
  return formatModelSource(source);
}

/** The text form {@link parseModelSource} reads back. */
export function formatModelSource(source: ModelSource): string {
  switch (source.kind) {
    case "file":
      return source.path;
    case "hf":
      return source.uri;
    case "engine":
      return source.model === undefined
        ? `engine:${source.engine}`
        : `engine:${source.engine}/${source.model}`;
  }
}
