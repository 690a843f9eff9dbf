import type { IncomingMessage } from "node:http";
import { ApiError } from "./ApiError.ts";

/** A `files[n]` part of a multipart request. */
export interface UploadedFile {
  /** The `n` of `files[n]`; matches `attachments[].id` of the JSON payload. */
  index: number;
  filename: string;
  contentType: string | undefined;
  bytes: Buffer;
}

export interface RequestBody {
  /** The JSON body, or `payload_json` of a multipart body; `undefined` when there is none. */
  json: unknown;
  files: UploadedFile[];
}

async function readBytes(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError(
      400,
      50109,
      "The request body contains invalid JSON.",
      `invalid JSON body: ${text.slice(0, 80)}`,
    );
  }
}

/**
 * Reads a JSON or multipart/form-data body the way Discord does: multipart carries the JSON in
 * `payload_json` and each file as `files[n]`. Parsing multipart is left to the WHATWG `Response`.
 */
export async function readRequestBody(request: IncomingMessage): Promise<RequestBody> {
  const bytes = await readBytes(request);
  const contentType = request.headers["content-type"] ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const form = await new Response(bytes, { headers: { "content-type": contentType } }).formData();
    const files: UploadedFile[] = [];
    let json: unknown;
    for (const [key, value] of form.entries()) {
      if (key === "payload_json" && typeof value === "string") {
        json = parseJson(value);
        continue;
      }
      const index = /^files\[(\d+)\]$/.exec(key)?.[1];
      if (index !== undefined && typeof value !== "string") {
        files.push({
          index: Number(index),
          filename: value.name,
          contentType: value.type || undefined,
          bytes: Buffer.from(await value.arrayBuffer()),
        });
      }
    }
    return { json, files };
  }
  return { json: bytes.byteLength === 0 ? undefined : parseJson(bytes.toString("utf8")), files: [] };
}
