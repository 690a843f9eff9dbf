import { open } from "node:fs/promises";

const HEADER_BYTES = 24;
// The smallest possible tensor info and key/value pair, in bytes: counts above what the file
// could hold mean a damaged header, which would make llama.cpp try to allocate terabytes.
const MIN_TENSOR_INFO_BYTES = 8 + 1 + 4 + 8 + 4 + 8;
const MIN_KEY_VALUE_BYTES = 8 + 1 + 4 + 1;

/**
 * Cheap sanity check of a GGUF file's fixed header, done before handing the file to llama.cpp.
 * Returns what is wrong, or `null` when the header is plausible.
 */
export async function checkGgufHeader(filePath: string): Promise<string | null> {
  const file = await open(filePath, "r");
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(HEADER_BYTES);
    const { bytesRead } = await file.read(header, 0, HEADER_BYTES, 0);
    if (bytesRead < HEADER_BYTES) return `the file is only ${size} bytes long, too short for a GGUF model`;
    if (header.toString("latin1", 0, 4) !== "GGUF") return "the file is not a GGUF model (wrong magic bytes)";
    const version = header.readUInt32LE(4);
    if (version !== 2 && version !== 3) return `unsupported GGUF version ${version}`;
    const tensorCount = header.readBigUInt64LE(8);
    const keyValueCount = header.readBigUInt64LE(16);
    const neededBytes =
      BigInt(HEADER_BYTES) +
      tensorCount * BigInt(MIN_TENSOR_INFO_BYTES) +
      keyValueCount * BigInt(MIN_KEY_VALUE_BYTES);
    if (neededBytes > BigInt(size)) {
      return `the GGUF header is damaged (it claims ${tensorCount} tensors and ${keyValueCount} metadata entries in ${size} bytes)`;
    }
    return null;
  } finally {
    await file.close();
  }
}
