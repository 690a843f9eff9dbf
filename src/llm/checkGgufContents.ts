import { stat } from "node:fs/promises";
import { type GgufFileInfo, GgufInsights, type Llama } from "node-llama-cpp";

/**
 * Checks what llama.cpp would otherwise find out by failing to load the file: tensor data cut
 * short (an interrupted copy or download) and architectures this llama.cpp does not know.
 * Catching these first matters: node-llama-cpp 3.22 can hang on `Llama.dispose()` once a model
 * load has failed. Returns what is wrong, or `null`.
 */
export async function checkGgufContents(
  filePath: string,
  info: GgufFileInfo,
  llama: Llama,
): Promise<string | null> {
  const insights = await GgufInsights.from(info, llama);
  if (!insights.isSupportedByLlamaCpp) {
    return `its architecture "${info.metadata.general?.architecture ?? "unknown"}" is not supported by this llama.cpp`;
  }
  const tensors = info.fullTensorInfo ?? info.tensorInfo ?? [];
  if (info.splicedParts > 1 || tensors.length === 0) return null;
  const dataStart = Math.min(...tensors.map((tensor) => Number(tensor.fileOffset)));
  const { size } = await stat(filePath);
  if (dataStart + insights.modelSize > size) {
    return `the file is incomplete: its tensors need ${dataStart + insights.modelSize} bytes but it has ${size} (was a download or copy interrupted?)`;
  }
  return null;
}
