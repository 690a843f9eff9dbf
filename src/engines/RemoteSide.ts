import type { Token } from "node-llama-cpp";
import { checkChatTemplate } from "../llm/checkChatTemplate.ts";
import { ChatTemplateError } from "../llm/errors/ChatTemplateError.ts";
import { QueueClosedError } from "../llm/errors/QueueClosedError.ts";
import { GenerationSpeed } from "../llm/GenerationSpeed.ts";
import type { GenerationResult, StopReason } from "../llm/generate.ts";
import type { ModelSide, SideGenerateOptions, SideLocation } from "../llm/ModelSide.ts";
import { type ChatMessage, type RenderedChatPrompt, renderChatPrompt } from "../llm/renderChatPrompt.ts";
import type { PromptTokens } from "../llm/tokenizePrompt.ts";
import type {
  DescribedToken,
  NextTokenPredictor,
  RankedProbabilities,
} from "../nexttoken/NextTokenPredictor.ts";
import type { TokenizedText, TokenPiece } from "../tokenize/tokenizeText.ts";
import type { EngineClient, EngineInfo } from "./EngineClient.ts";
import { EngineError } from "./EngineError.ts";

export interface RemoteSideOptions {
  /** The `model` field of requests; absent, the server's only or first model. */
  model?: string;
  /** A chat template that overrides the server's (`EngineEndpoint.chatTemplateFile`, read). */
  chatTemplate?: string;
  /** Streams one run uses on this side: 1 for the base model, 2 for the instruct model (three-way). */
  streamsPerSlot: number;
  /** Generations the server runs at once; absent, its `/props` `total_slots`, or 1. */
  slots?: number;
}

/** How a server tokenizes, if it can. */
type TokenizerKind = "llama-server" | "vllm" | "none";

/** Candidates asked of llama-server per step (`n_probs`); sampling above temperature 0 draws among them. */
const LLAMA_SERVER_CANDIDATES = 50;
/** OpenAI-compatible servers cap `logprobs` at 20. */
const OPENAI_CANDIDATES = 20;
/** Longer than any real token's text; a longer "token" from a server is cut to this. */
const MAX_PIECE_LENGTH = 256;
/** Assumed when a server does not say its context size. */
const FALLBACK_CONTEXT_SIZE = 2048;
/** First guess of a server's decoding speed, before a run measured it. */
const GUESSED_TOKENS_PER_SECOND = 50;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function numberArray(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === "number") ? value : undefined;
}

/**
 * One side of a pair served by an OpenAI-compatible engine. The bot renders the prompt itself
 * (the model's template, from llama-server's `/props` or a configured file) and tokenizes it with
 * the server's own `/tokenize`, then sends the token ids to `POST /v1/completions`: a prompt of
 * token ids gets no BOS from the server, so the BOS the bot counted and shows is the only one.
 * `/nexttoken` reads llama-server's `n_probs` (the softmax of the raw logits, the same numbers
 * node-llama-cpp gives in-process) or the OpenAI `logprobs` of other servers.
 */
export class RemoteSide implements ModelSide {
  readonly location: SideLocation;
  readonly parallel: number;
  readonly version: string | undefined;
  private readonly speed = new GenerationSpeed({ tokensPerSecond: GUESSED_TOKENS_PER_SECOND });
  /** Texts of tokens seen in candidate lists, by id. */
  private readonly pieces = new Map<number, string>();
  /** Whether a token is a control token, by id (learned by asking the tokenizer). */
  private readonly control = new Map<number, Promise<boolean>>();
  private endOfTurnTexts: string[] = [];
  /** Control tokens streamed text spells out, as the in-process side does (BOS, `<|im_start|>`…). */
  private readonly shownControlTexts = new Set<string>();
  private readonly endOfGeneration = new Set<number>();
  private bos: number | null = null;

  private constructor(
    private readonly client: EngineClient,
    private readonly info: EngineInfo,
    private readonly tokenizer: TokenizerKind,
    readonly name: string,
    private readonly model: string | undefined,
    readonly chatTemplate: string | null,
    readonly contextSize: number,
    options: RemoteSideOptions,
  ) {
    this.location = { kind: "engine", engineId: client.endpoint.id, url: client.url };
    const slots = options.slots ?? info.slots ?? 1;
    this.parallel = Math.max(1, Math.floor(slots / options.streamsPerSlot));
    this.version = info.version;
  }

  /**
   * Probes the server and learns what the bot needs of its tokenizer (BOS, end-of-generation and
   * end-of-turn tokens). Throws an {@link EngineError} that names the server when it cannot.
   */
  static async connect(client: EngineClient, options: RemoteSideOptions): Promise<RemoteSide> {
    const info = await client.probe();
    const model = options.model ?? info.models[0];
    const tokenizer = info.kind === "llama-server" ? "llama-server" : await detectTokenizer(client, model);
    if (options.chatTemplate === undefined && info.chatTemplate !== undefined) {
      // The bot renders this template itself, synchronously: one that never ends would freeze it.
      await checkChatTemplate(info.chatTemplate).catch((error: unknown) => {
        if (!(error instanceof ChatTemplateError)) throw error;
        throw new EngineError(
          "protocol",
          `${client.description} reported a chat template that ${error.message}`,
        );
      });
    }
    const side = new RemoteSide(
      client,
      info,
      tokenizer,
      options.model ??
        info.models[0]
          ?.split("/")
          .pop()
          ?.replace(/\.gguf$/i, "") ??
        client.endpoint.id,
      options.model,
      options.chatTemplate ?? info.chatTemplate ?? null,
      info.contextSize ?? FALLBACK_CONTEXT_SIZE,
      options,
    );
    await side.learnSpecialTokens();
    return side;
  }

  get probabilitiesUnavailable(): string | undefined {
    if (this.tokenizer === "none") {
      return `${this.client.description} has no /tokenize route, so /nexttoken cannot give it exact tokens.`;
    }
    return undefined;
  }

  get endOfTurn(): readonly string[] {
    return this.endOfTurnTexts;
  }

  get recentTokensPerSecond(): number | undefined {
    return this.speed.recentTokensPerSecond;
  }

  renderChat(messages: readonly ChatMessage[], options: { addGenerationPrompt?: boolean } = {}) {
    return renderChatPrompt(this.chatTemplate ?? "", messages, {
      bosToken: this.info.bosText ?? "",
      eosToken: this.info.eosText ?? "",
      addGenerationPrompt: options.addGenerationPrompt ?? true,
    });
  }

  async tokenizePrompt(prompt: string | RenderedChatPrompt): Promise<PromptTokens> {
    const text = typeof prompt === "string" ? prompt : prompt.text;
    if (this.tokenizer === "none") {
      return { tokens: [], shownText: text, bosAdded: false, neutralizedSpecialTokens: [] };
    }
    let tokens: number[];
    let neutralized: string[];
    if (typeof prompt === "string") {
      tokens = await this.tokenize(text, { parseSpecial: false });
      neutralized = (await this.specialTokensIn(text)).map((special) => special.text);
    } else {
      const contents = prompt.parts?.filter((part) => part.source === "content") ?? [];
      const found = await Promise.all(contents.map((part) => this.specialTokensIn(part.text)));
      neutralized = prompt.parts === null ? [] : found.flat().map((special) => special.text);
      tokens =
        prompt.parts !== null && neutralized.length > 0
          ? await this.tokenizeKeepingContentPlain(prompt.parts)
          : await this.tokenize(text, { parseSpecial: true });
    }
    const bosAdded = this.bos !== null && tokens[0] !== this.bos;
    if (bosAdded && this.bos !== null) tokens.unshift(this.bos);
    return {
      tokens: tokens as Token[],
      shownText: bosAdded ? `${this.info.bosText ?? ""}${text}` : text,
      bosAdded,
      neutralizedSpecialTokens: neutralized,
    };
  }

  async countTokens(text: string): Promise<number> {
    if (this.tokenizer === "none") return 0;
    return (await this.tokenize(text, { parseSpecial: false })).length;
  }

  async tokenizeText(text: string): Promise<TokenizedText> {
    if (this.tokenizer !== "llama-server") {
      throw new EngineError(
        "unsupported",
        `${this.client.description} does not show how it cuts text into tokens (only llama-server does).`,
      );
    }
    const answer = await this.client.json("/tokenize", {
      content: text,
      add_special: false,
      parse_special: false,
      with_pieces: true,
    });
    const listed = isRecord(answer) && Array.isArray(answer.tokens) ? answer.tokens.filter(isRecord) : [];
    const pieces: TokenPiece[] = listed.map((entry) => ({
      id: Number(entry.id),
      text: typeof entry.piece === "string" ? entry.piece : null,
      special: false,
    }));
    // The tokenizer wrote a space in front of the text (SentencePiece's space prefix); the
    // in-process detokenizer leaves it out after BOS, and so does this.
    const first = pieces[0];
    if (first?.text?.startsWith(" ") && !text.startsWith(" ")) first.text = first.text.slice(1);
    const textTokens = pieces.length;
    if (this.bos !== null && pieces[0]?.id !== this.bos) {
      pieces.unshift({ id: this.bos, text: this.info.bosText ?? "", special: true });
    }
    return { pieces, textTokens };
  }

  estimateMs(promptTokens: number, maxTokens: number): number {
    return this.speed.estimateMs(promptTokens, maxTokens);
  }

  /**
   * Streams a completion from `POST /v1/completions`. A stop (`signal`), the time limit or the
   * server failing closes the connection, which frees the server's slot; the result then comes
   * at once, with what was generated so far. A failure of the server (unreachable, HTTP error,
   * disconnected mid-stream, malformed events) throws an {@link EngineError} naming it.
   */
  async generate(prompt: PromptTokens, options: SideGenerateOptions): Promise<GenerationResult> {
    const startedAt = performance.now();
    const room = Math.max(0, this.contextSize - prompt.tokens.length);
    const requested = options.maxTokens ?? 200;
    const maxTokens = this.tokenizer === "none" ? requested : Math.min(requested, room);
    const limitReason: StopReason = requested > maxTokens ? "context-full" : "max-tokens";

    const controller = new AbortController();
    let stopReason: StopReason | undefined;
    const stop = (reason: StopReason) => {
      stopReason ??= reason;
      controller.abort();
    };
    const onAbort = () => stop(options.signal?.reason instanceof QueueClosedError ? "restarting" : "stopped");
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    const timer =
      options.timeLimitMs === undefined
        ? undefined
        : setTimeout(() => stop("time-limit"), options.timeLimitMs);

    let text = "";
    let chunks = 0;
    let firstTokenAt: number | undefined;
    let lastTokenAt: number | undefined;
    let reportedTokens: number | undefined;
    let engineTokensPerSecond: number | undefined;
    try {
      if (stopReason === undefined && maxTokens === 0) stopReason = limitReason;
      if (stopReason === undefined) {
        const body = this.completionBody(prompt, maxTokens, options);
        for await (const event of this.client.stream("/v1/completions", body, {
          signal: controller.signal,
        })) {
          const choice = isRecord(event) && Array.isArray(event.choices) ? event.choices[0] : undefined;
          if (isRecord(event) && isRecord(event.usage) && typeof event.usage.completion_tokens === "number") {
            reportedTokens = event.usage.completion_tokens;
          }
          if (isRecord(event) && isRecord(event.timings)) {
            const { predicted_per_second: speed, predicted_n: predicted } = event.timings;
            if (typeof speed === "number" && Number.isFinite(speed)) engineTokensPerSecond = speed;
            if (typeof predicted === "number") reportedTokens = predicted;
          }
          if (!isRecord(choice)) continue;
          const chunk = typeof choice.text === "string" ? choice.text : "";
          if (chunk !== "") {
            const now = performance.now();
            firstTokenAt ??= now;
            lastTokenAt = now;
            chunks++;
            text += chunk;
            // Each event carries at least one token: more events, or more text than that many
            // tokens can spell, means the server ignores max_tokens, and nothing else bounds it.
            if (chunks > maxTokens + 1 || text.length > (maxTokens + 1) * MAX_PIECE_LENGTH) {
              throw new EngineError(
                "protocol",
                `${this.client.description} sent more than the ${maxTokens} tokens asked for`,
              );
            }
            options.onText?.(chunk);
          }
          if (choice.finish_reason === "stop") stopReason ??= "end-of-turn";
          else if (choice.finish_reason === "length") stopReason ??= limitReason;
        }
        if (stopReason === undefined) {
          throw new EngineError(
            "disconnected",
            `${this.client.description} ended the reply without saying why (no finish_reason)`,
          );
        }
      }
    } catch (error) {
      // A stop or the time limit aborted the request: that is an ordinary end, not a failure.
      if (!controller.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
    const stoppedAt = performance.now();
    const tokens = reportedTokens ?? chunks;
    const decodeMs = firstTokenAt !== undefined && lastTokenAt !== undefined ? lastTokenAt - firstTokenAt : 0;
    const tokensPerSecond =
      tokens > 1 && decodeMs > 0
        ? ((tokens - 1) * 1000) / decodeMs
        : tokens > 0
          ? (tokens * 1000) / Math.max(1, stoppedAt - startedAt)
          : 0;
    const stats = {
      promptTokens: prompt.tokens.length,
      tokens,
      tokensPerSecond,
      timeToFirstTokenMs: firstTokenAt === undefined ? null : firstTokenAt - startedAt,
      totalMs: stoppedAt - startedAt,
      stopReason: stopReason ?? "stopped",
      ...(engineTokensPerSecond !== undefined && { engineTokensPerSecond }),
    };
    this.speed.record(stats);
    return { text, stats, released: Promise.resolve() };
  }

  private completionBody(prompt: PromptTokens, maxTokens: number, options: SideGenerateOptions) {
    // Without a tokenizer the server gets text and adds its own BOS; the bot does not know that
    // server's BOS text, so a template's `{{ bos_token }}` rendered as nothing: one BOS either way.
    const promptField = this.tokenizer === "none" ? prompt.shownText : [...prompt.tokens];
    const body: Record<string, unknown> = {
      prompt: promptField,
      max_tokens: maxTokens,
      temperature: options.temperature ?? 0,
      top_p: options.topP ?? 1,
      stream: true,
      ...(options.seed !== undefined && { seed: options.seed }),
      ...(this.model !== undefined && { model: this.model }),
    };
    if (this.info.kind === "llama-server") {
      // The in-process sampler's choices: node-llama-cpp's top-k 40, no min-p, no repetition penalty.
      Object.assign(body, {
        top_k: options.topK || 40,
        min_p: 0,
        repeat_penalty: 1,
        cache_prompt: true,
        // llama-server leaves control tokens out of streamed text unless asked to keep them.
        preserved_tokens: [...this.shownControlTexts],
      });
    } else {
      Object.assign(body, { stream_options: { include_usage: true } });
    }
    return body;
  }

  /** Next-token probabilities through the server, for `/nexttoken`. */
  async nextTokens(): Promise<NextTokenPredictor> {
    const unavailable = this.probabilitiesUnavailable;
    if (unavailable) throw new EngineError("unsupported", unavailable);
    return {
      contextSize: this.contextSize,
      tokenizePrompt: (prompt) => this.tokenizePrompt(prompt),
      evaluate: (tokens) => this.evaluate(tokens),
      describe: (token, previous) => this.describe(token, previous),
      detokenize: (tokens) => this.detokenize(tokens),
      isEndOfGeneration: (token) => this.endOfGeneration.has(token),
    };
  }

  async dispose(): Promise<void> {
    // Nothing is held: every request closes its own connection.
  }

  private async evaluate(tokens: readonly Token[]): Promise<RankedProbabilities> {
    if (tokens.length === 0) throw new RangeError("Cannot predict the next token of an empty token list");
    const candidates =
      this.info.kind === "llama-server"
        ? await this.llamaServerCandidates(tokens)
        : await this.openAiCandidates(tokens);
    candidates.sort((a, b) => b.probability - a.probability);
    return {
      tokens: candidates.map((candidate) => candidate.id as Token),
      probabilities: candidates.map((candidate) => candidate.probability),
    };
  }

  /** llama-server's own route: with temperature 0 its `n_probs` are the softmax of the raw logits. */
  private async llamaServerCandidates(tokens: readonly Token[]) {
    const answer = await this.client.json("/completion", {
      prompt: [...tokens],
      n_predict: 1,
      n_probs: LLAMA_SERVER_CANDIDATES,
      temperature: 0,
      cache_prompt: true,
      ...(this.model !== undefined && { model: this.model }),
    });
    const first =
      isRecord(answer) && Array.isArray(answer.completion_probabilities)
        ? answer.completion_probabilities[0]
        : undefined;
    if (!isRecord(first) || !Array.isArray(first.top_logprobs)) {
      throw new EngineError("unsupported", `${this.client.description} returned no next-token probabilities`);
    }
    return this.readCandidates(first.top_logprobs, LLAMA_SERVER_CANDIDATES);
  }

  /**
   * The OpenAI way: `logprobs` on `/v1/completions`, asking vLLM for token ids instead of texts.
   * Reads both the OpenAI shape (`top_logprobs: [{text: logprob}]`) and llama-server's (`content`).
   */
  private async openAiCandidates(tokens: readonly Token[]) {
    const answer = await this.client.json("/v1/completions", {
      prompt: [...tokens],
      max_tokens: 1,
      temperature: 0,
      logprobs: OPENAI_CANDIDATES,
      return_tokens_as_token_ids: true,
      ...(this.model !== undefined && { model: this.model }),
    });
    const choice = isRecord(answer) && Array.isArray(answer.choices) ? answer.choices[0] : undefined;
    const logprobs = isRecord(choice) ? choice.logprobs : undefined;
    if (isRecord(logprobs) && Array.isArray(logprobs.content) && isRecord(logprobs.content[0])) {
      const top = logprobs.content[0].top_logprobs;
      if (Array.isArray(top)) return this.readCandidates(top, OPENAI_CANDIDATES);
    }
    const top =
      isRecord(logprobs) && Array.isArray(logprobs.top_logprobs) ? logprobs.top_logprobs[0] : undefined;
    if (!isRecord(top)) {
      throw new EngineError(
        "unsupported",
        `${this.client.description} returned no next-token probabilities (logprobs); it may not offer them`,
      );
    }
    const candidates: { id: number; logprob: unknown }[] = [];
    for (const [key, logprob] of Object.entries(top)) {
      const id = /^token_id:(\d+)$/.exec(key)?.[1];
      if (id === undefined) {
        throw new EngineError(
          "unsupported",
          `${this.client.description} names next-token candidates by text, not by id, so /nexttoken cannot follow them`,
        );
      }
      candidates.push({ id: Number(id), logprob });
    }
    return this.readCandidates(candidates, OPENAI_CANDIDATES);
  }

  /**
   * The `limit` most likely candidates of a server's list. Entries that cannot be real (an id that
   * is not a token index, a log-probability above 0 or not a number) are left out, and a token's
   * text is kept only up to a length no real token has: a broken server's list is not trusted.
   */
  private readCandidates(list: unknown[], limit: number): { id: number; probability: number }[] {
    const valid: { id: number; probability: number; text: string | undefined }[] = [];
    for (const entry of list) {
      if (!isRecord(entry)) continue;
      const { id, logprob, token } = entry;
      if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) continue;
      if (typeof logprob !== "number" || Number.isNaN(logprob) || logprob > 0) continue;
      valid.push({ id, probability: Math.exp(logprob), text: typeof token === "string" ? token : undefined });
    }
    valid.sort((a, b) => b.probability - a.probability);
    return valid.slice(0, limit).map(({ id, probability, text }) => {
      if (text !== undefined && text !== "") this.pieces.set(id, text.slice(0, MAX_PIECE_LENGTH));
      return { id, probability };
    });
  }

  private async describe(token: Token, _previous: readonly Token[]): Promise<DescribedToken> {
    // A server writes control tokens as empty text in candidate lists; /detokenize spells them out.
    const known = this.pieces.get(token);
    const text = known ?? (await this.detokenize([token]));
    return { token, text, isSpecial: await this.isControl(token, text) };
  }

  /** The server's detokenizer joins the tokens' own texts, so a word's leading space is kept. */
  private async detokenize(tokens: readonly Token[]): Promise<string> {
    if (tokens.length === 0) return "";
    const answer = await this.client.json(
      "/detokenize",
      this.tokenizer === "vllm" ? { model: this.model, tokens: [...tokens] } : { tokens: [...tokens] },
    );
    const content = isRecord(answer) ? (answer.content ?? answer.prompt) : undefined;
    if (typeof content !== "string") {
      throw new EngineError("protocol", `${this.client.description} answered /detokenize without text`);
    }
    return content;
  }

  private async tokenize(
    text: string,
    options: { parseSpecial: boolean; addSpecial?: boolean },
  ): Promise<number[]> {
    const body =
      this.tokenizer === "vllm"
        ? { model: this.model, prompt: text, add_special_tokens: options.addSpecial ?? false }
        : { content: text, add_special: options.addSpecial ?? false, parse_special: options.parseSpecial };
    const answer = await this.client.json("/tokenize", body);
    const tokens = isRecord(answer) ? numberArray(answer.tokens) : undefined;
    if (!tokens)
      throw new EngineError("protocol", `${this.client.description} answered /tokenize without tokens`);
    return tokens;
  }

  /**
   * A control token is one that only the special-token parser produces: its text tokenized with
   * special tokens recognised is that one token, and tokenized as plain text it is not.
   */
  private isControl(id: number, text: string): Promise<boolean> {
    let known = this.control.get(id);
    if (!known) {
      known =
        text === ""
          ? Promise.resolve(true)
          : Promise.all([
              this.tokenize(text, { parseSpecial: true }),
              this.tokenize(text, { parseSpecial: false }),
            ]).then(
              ([special, plain]) =>
                special.length === 1 && special[0] === id && !(plain.length === 1 && plain[0] === id),
            );
      this.control.set(id, known);
      known.catch(() => this.control.delete(id));
    }
    return known;
  }

  /** The control tokens in `text` when special tokens are recognised, with their text. */
  private async specialTokensIn(text: string): Promise<{ token: number; text: string }[]> {
    if (this.tokenizer !== "llama-server") return [];
    const [answer, plain] = await Promise.all([
      this.client.json("/tokenize", {
        content: text,
        add_special: false,
        parse_special: true,
        with_pieces: true,
      }),
      this.tokenize(text, { parseSpecial: false }),
    ]);
    const listed = isRecord(answer) && Array.isArray(answer.tokens) ? answer.tokens.filter(isRecord) : [];
    // A control token never comes out of plain-text tokenization; only the others need a check.
    const plainIds = new Set(plain);
    const found: { token: number; text: string }[] = [];
    for (const entry of listed) {
      const id = Number(entry.id);
      if (typeof entry.piece !== "string" || plainIds.has(id)) continue;
      if (await this.isControl(id, entry.piece)) found.push({ token: id, text: entry.piece });
    }
    return found;
  }

  /** Mirrors `tokenizePrompt`: control tokens are recognised in template text, never in contents. */
  private async tokenizeKeepingContentPlain(parts: NonNullable<RenderedChatPrompt["parts"]>) {
    const tokens: number[] = [];
    let plain = "";
    const flush = async () => {
      if (plain !== "") tokens.push(...(await this.tokenize(plain, { parseSpecial: false })));
      plain = "";
    };
    for (const part of parts) {
      if (part.source === "content") {
        plain += part.text;
        continue;
      }
      let cursor = 0;
      for (const special of await this.specialTokensIn(part.text)) {
        const at = part.text.indexOf(special.text, cursor);
        if (at < 0) continue;
        plain += part.text.slice(cursor, at);
        await flush();
        tokens.push(special.token);
        cursor = at + special.text.length;
      }
      plain += part.text.slice(cursor);
    }
    await flush();
    return tokens;
  }

  /** BOS (does the server's tokenizer add one?), EOS and the template's end-of-turn tokens. */
  private async learnSpecialTokens(): Promise<void> {
    if (this.tokenizer === "none") return;
    const withBos = await this.tokenize("", { parseSpecial: true, addSpecial: true });
    this.bos = withBos.length === 1 ? (withBos[0] ?? null) : null;
    if (this.tokenizer !== "llama-server") return;
    if (this.bos !== null && this.info.bosText) this.shownControlTexts.add(this.info.bosText);
    if (this.info.eosText) {
      const eos = await this.tokenize(this.info.eosText, { parseSpecial: true });
      if (eos.length === 1 && eos[0] !== undefined) this.endOfGeneration.add(eos[0]);
    }
    if (this.chatTemplate === null) return;
    let parts: RenderedChatPrompt["parts"];
    try {
      parts = this.renderChat(
        [
          { role: "user", content: "Hello" },
          { role: "assistant", content: "Hi" },
        ],
        { addGenerationPrompt: false },
      ).parts;
    } catch {
      return;
    }
    const assistantIndex = parts?.findLastIndex((part) => part.source === "content") ?? -1;
    const after = parts?.[assistantIndex + 1];
    if (assistantIndex < 0 || after?.source !== "template") return;
    for (const special of await this.specialTokensIn(after.text)) {
      this.endOfGeneration.add(special.token);
      if (!this.endOfTurnTexts.includes(special.text)) this.endOfTurnTexts.push(special.text);
    }
    const templateParts = parts?.filter((part) => part.source === "template") ?? [];
    for (const part of templateParts) {
      for (const special of await this.specialTokensIn(part.text)) {
        if (!this.endOfGeneration.has(special.token)) this.shownControlTexts.add(special.text);
      }
    }
  }
}

/** vLLM answers `POST /tokenize` with `{tokens: […]}`; other servers have no such route. */
async function detectTokenizer(client: EngineClient, model: string | undefined): Promise<TokenizerKind> {
  try {
    const answer = await client.json("/tokenize", { model, prompt: "a" });
    return isRecord(answer) && numberArray(answer.tokens) ? "vllm" : "none";
  } catch (error) {
    if (error instanceof EngineError && error.fault === "status") return "none";
    throw error;
  }
}
