import type { EngineEndpoint } from "../pairs/ModelPair.ts";
import { EngineError } from "./EngineError.ts";
import { readServerSentEvents } from "./readServerSentEvents.ts";

/** What a server said about itself when probed. */
export interface EngineInfo {
  /** `llama-server` when `/props` answers as llama.cpp's server does; otherwise a generic OpenAI-compatible server. */
  kind: "llama-server" | "openai-compatible";
  /** llama-server's `build_info` (`b1-de3ff81`), or the first model's `owned_by`. */
  version?: string;
  /** Generations the server runs at once (`/props` `total_slots`), when it says. */
  slots?: number;
  /** Tokens one generation may hold (llama-server's per-slot `n_ctx`, vLLM's `max_model_len`). */
  contextSize?: number;
  /** The model's own chat template (llama-server's `/props`; its ChatML fallback for models without one is left out). */
  chatTemplate?: string;
  bosText?: string;
  eosText?: string;
  /** Model names from `/v1/models`. */
  models: string[];
}

export interface EngineClientOptions {
  /** Sent as `Authorization: Bearer …`; never logged, never part of an error message. */
  apiKey?: string;
  /** Default time limit for an answer to start, and between two pieces of a streamed answer. Default 30 000 ms. */
  timeoutMs?: number;
}

export interface EngineRequestOptions {
  /** Aborting stops the request; the abort reason is thrown as is. */
  signal?: AbortSignal;
  /** Overrides {@link EngineClientOptions.timeoutMs} for this request. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Largest JSON answer read, in bytes: a `/props` with a long template or 20 candidates' logprobs
 * take kilobytes; a server sending more is broken or hostile, and the bot must not buffer it all.
 */
const MAX_ANSWER_BYTES = 16 * 2 ** 20;
/** Of an error answer only the start is read: it becomes one short line of a message. */
const MAX_ERROR_BODY_BYTES = 4096;

/**
 * The template llama-server reports for a model whose GGUF has none (llama.cpp's ChatML fallback,
 * `CHATML_TEMPLATE_SRC` in common/chat.cpp): it is not the model's own, so it does not count.
 */
const LLAMA_SERVER_FALLBACK_TEMPLATE =
  "{%- for message in messages -%}\n" +
  "  {{- '<|im_start|>' + message.role + '\n' + message.content + '<|im_end|>\n' -}}\n" +
  "{%- endfor -%}\n" +
  "{%- if add_generation_prompt -%}\n" +
  "  {{- '<|im_start|>assistant\n' -}}\n" +
  "{%- endif -%}";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Node's fetch hides the socket error in `cause`; this finds its code (`ECONNREFUSED`…). */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && isRecord(current); depth++) {
    if (typeof current.code === "string") return current.code;
    current = current.cause;
  }
  return undefined;
}

/**
 * HTTP to one OpenAI-compatible inference server (llama.cpp's llama-server, vLLM, SGLang, Ollama),
 * with Node's own fetch. Every failure becomes an {@link EngineError} that names the server; a
 * request never waits longer than its time limit for the server to start answering, nor, while
 * streaming, for the next piece.
 */
export class EngineClient {
  readonly url: string;
  private readonly apiKey: string | undefined;
  private readonly timeoutMs: number;

  constructor(
    readonly endpoint: EngineEndpoint,
    options: EngineClientOptions = {},
  ) {
    this.url = endpoint.url.replace(/\/+$/, "");
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs ?? endpoint.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** `the engine gpu-box (http://…)`: how messages name this server. */
  get description(): string {
    return `the engine ${this.endpoint.id} (${this.url})`;
  }

  /** GET or POST a JSON route and return the parsed answer. */
  async json(path: string, body?: unknown, options: EngineRequestOptions = {}): Promise<unknown> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    try {
      const response = await this.send(path, body, timeout.signal, options.signal, timeoutMs);
      const text = await readText(response, MAX_ANSWER_BYTES).catch((error: unknown) => {
        throw this.failure(error, timeout.signal, options.signal, timeoutMs, path);
      });
      if (text === undefined) {
        throw new EngineError(
          "protocol",
          `${this.description} sent more than ${MAX_ANSWER_BYTES / 2 ** 20} MB for ${path}`,
        );
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new EngineError(
          "protocol",
          `${this.description} answered ${path} with something that is not JSON`,
        );
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * POSTs `body` and yields the JSON of each server-sent event until `data: [DONE]` or the end of
   * the stream. The time limit applies to the answer's start and to each gap between events.
   */
  async *stream(path: string, body: unknown, options: EngineRequestOptions = {}): AsyncGenerator<unknown> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    let timer = setTimeout(() => timeout.abort(), timeoutMs);
    const rearm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => timeout.abort(), timeoutMs);
    };
    try {
      const response = await this.send(path, body, timeout.signal, options.signal, timeoutMs);
      rearm();
      const stream = response.body;
      if (!stream) throw new EngineError("protocol", `${this.description} sent no body for ${path}`);
      // Any bytes count as a sign of life, keep-alive comments included.
      const watched = (async function* () {
        for await (const chunk of stream) {
          rearm();
          yield chunk;
        }
      })();
      const events = readServerSentEvents(watched, this.description);
      while (true) {
        let step: IteratorResult<{ data: string }>;
        try {
          step = await events.next();
        } catch (error) {
          if (error instanceof EngineError) throw error;
          throw this.failure(error, timeout.signal, options.signal, timeoutMs, path, true);
        }
        if (step.done) return;
        rearm();
        const data = step.value.data;
        if (data.trim() === "[DONE]") return;
        let parsed: unknown;
        try {
          parsed = JSON.parse(data);
        } catch {
          throw new EngineError(
            "protocol",
            `${this.description} sent a streamed event that is not JSON: ${JSON.stringify(this.quote(data).slice(0, 80))}`,
          );
        }
        if (isRecord(parsed) && isRecord(parsed.error)) {
          const message = typeof parsed.error.message === "string" ? parsed.error.message : "unknown error";
          throw new EngineError(
            "status",
            `${this.description} reported an error mid-reply: ${this.quote(message)}`,
          );
        }
        yield parsed;
      }
    } finally {
      clearTimeout(timer);
      // Ending early (a malformed event, an error event, the caller stopping) must close the
      // connection: one left open keeps the server generating into it and holds its slot.
      timeout.abort();
    }
  }

  /** Finds out what kind of server this is and what it offers. */
  async probe(options: EngineRequestOptions = {}): Promise<EngineInfo> {
    const props = await this.json("/props", undefined, options).catch((error: unknown) => {
      // Not every server has /props; only "nothing there" and "not found" mean "try /v1/models".
      if (error instanceof EngineError && error.fault === "status" && error.status === 404) return undefined;
      throw error;
    });
    const models = await this.json("/v1/models", undefined, options).catch((error: unknown) => {
      if (props !== undefined && error instanceof EngineError && error.fault === "status") return undefined;
      throw error;
    });
    const listed = isRecord(models) && Array.isArray(models.data) ? models.data.filter(isRecord) : [];
    const info: EngineInfo = {
      kind: "openai-compatible",
      models: listed.map((entry) => entry.id).filter((id): id is string => typeof id === "string"),
    };
    const first = listed[0];
    if (first && typeof first.owned_by === "string") info.version = first.owned_by;
    if (first && typeof first.max_model_len === "number") info.contextSize = first.max_model_len;
    if (isRecord(props) && typeof props.total_slots === "number") {
      info.kind = "llama-server";
      info.slots = props.total_slots;
      if (typeof props.build_info === "string") info.version = `llama.cpp ${props.build_info}`;
      const template = props.chat_template;
      if (
        typeof template === "string" &&
        template.trim() !== "" &&
        template !== LLAMA_SERVER_FALLBACK_TEMPLATE
      ) {
        info.chatTemplate = template;
      }
      if (typeof props.bos_token === "string") info.bosText = props.bos_token;
      if (typeof props.eos_token === "string") info.eosText = props.eos_token;
      const settings = props.default_generation_settings;
      if (isRecord(settings) && typeof settings.n_ctx === "number") info.contextSize = settings.n_ctx;
    }
    return info;
  }

  private async send(
    path: string,
    body: unknown,
    timeoutSignal: AbortSignal,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
  ): Promise<Response> {
    callerSignal?.throwIfAborted();
    const headers: Record<string, string> = { accept: "application/json, text/event-stream" };
    if (body !== undefined) headers["content-type"] = "application/json";
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    const signal = callerSignal ? AbortSignal.any([timeoutSignal, callerSignal]) : timeoutSignal;
    let response: Response;
    try {
      response = await fetch(`${this.url}${path}`, {
        method: body === undefined ? "GET" : "POST",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal,
      });
    } catch (error) {
      throw this.failure(error, timeoutSignal, callerSignal, timeoutMs, path);
    }
    if (!response.ok) {
      const text = (await readText(response, MAX_ERROR_BODY_BYTES, true).catch(() => "")) ?? "";
      throw new EngineError(
        "status",
        `${this.description} answered ${path} with HTTP ${response.status}${describeErrorBody(this.quote(text))}`,
        response.status,
      );
    }
    return response;
  }

  /** Server text for a message, without the API key (a proxy may echo the request's headers). */
  private quote(text: string): string {
    return this.apiKey ? text.replaceAll(this.apiKey, "[API key]") : text;
  }

  private failure(
    error: unknown,
    timeoutSignal: AbortSignal,
    callerSignal: AbortSignal | undefined,
    timeoutMs: number,
    path: string,
    midStream = false,
  ): unknown {
    if (callerSignal?.aborted) return callerSignal.reason;
    if (timeoutSignal.aborted) {
      const what = midStream ? "went silent mid-reply" : `did not answer ${path}`;
      return new EngineError("timeout", `${this.description} ${what} for ${Math.round(timeoutMs / 1000)} s`);
    }
    if (midStream) {
      return new EngineError("disconnected", `${this.description} closed the connection mid-reply`);
    }
    const code = networkCode(error);
    const detail = code ? ` (${code})` : error instanceof Error ? ` (${error.message})` : "";
    return new EngineError("unreachable", `${this.description} cannot be reached${detail}`);
  }
}

/**
 * The body as text, reading at most `maxBytes`. Past that, the rest is not read (the connection
 * is closed) and the answer is `undefined`, or with `keepStart` the text up to the bound.
 */
async function readText(
  response: Response,
  maxBytes: number,
  keepStart = false,
): Promise<string | undefined> {
  const body = response.body;
  if (!body) return "";
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let text = "";
  let bytes = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    bytes += value.byteLength;
    if (bytes > maxBytes) {
      await reader.cancel().catch(() => {});
      return keepStart
        ? text + decoder.decode(value.subarray(0, value.byteLength - (bytes - maxBytes)))
        : undefined;
    }
    text += decoder.decode(value, { stream: true });
  }
}

/** The error text a server put in its body, shortened, for the operator. */
function describeErrorBody(text: string): string {
  let message = text;
  try {
    const parsed = JSON.parse(text) as unknown;
    if (isRecord(parsed) && isRecord(parsed.error) && typeof parsed.error.message === "string") {
      message = parsed.error.message;
    } else if (isRecord(parsed) && typeof parsed.detail === "string") {
      message = parsed.detail;
    }
  } catch {
    // Not JSON: the text itself is the best description there is.
  }
  const trimmed = message.trim().replace(/\s+/g, " ");
  if (trimmed === "") return "";
  return `: ${trimmed.length > 160 ? `${trimmed.slice(0, 159)}…` : trimmed}`;
}
