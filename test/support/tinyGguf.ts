import { mkdir, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * A tiny, valid GGUF v3 llama model written from scratch, so model-dependent tests always have a
 * model with real ChatML control tokens (`stories260K-chatml.gguf` has none) and a known reply.
 *
 * The weights make it a bigram model: attention and feed-forward outputs are tiny seeded noise, so
 * the next token depends only on the current one. After a newline it says {@link TINY_REPLY} (or
 * the `reply` option) and then `<|im_end|>` (an end-of-generation token); after anything else it
 * loops `lalala…` forever.
 * So the instruct side, whose prompt ends with `<|im_start|>assistant\n`, stops at end of turn,
 * and raw text that does not end with a newline runs until `maxTokens`. After `#` it loops
 * {@link TINY_MULTIBYTE_LOOP}: `é` is two byte tokens, for tests of streaming across UTF-8 boundaries.
 */
export const TINY_REPLY = "Hi!";

/** What the model repeats after a `#`: `é` (bytes C3 A9, two tokens) then `#`. */
export const TINY_MULTIBYTE_LOOP = "\u00e9#";

/** ChatML, written like SmolLM2-Instruct's but without a default system message. */
export const TINY_CHATML_TEMPLATE =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}";

export interface TinyGgufOptions {
  /** The `tokenizer.chat_template` to embed, or `false` for none. Default {@link TINY_CHATML_TEMPLATE}. */
  chatTemplate?: string | false;
  /**
   * What the model says after a newline, before `<|im_end|>`. Default {@link TINY_REPLY}, spelt
   * one character per token. Any other text becomes one extra vocabulary token (spaces as `▁`),
   * so it can hold repeated letters, e.g. `"@everyone"`.
   */
  reply?: string;
  /** `llama.context_length`: the longest context llama.cpp will give it. Default 256. */
  contextLength?: number;
  /** Seed of the weight noise. Default 1. */
  seed?: number;
  /** `general.name`. Default `"tiny-chatml"`. */
  name?: string;
}

const GgufType = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9 } as const;
const TokenType = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;
const ALIGNMENT = 32;

const N_EMBD = 32;
const N_HEAD = 2;
const N_LAYER = 1;
const N_FF = 64;
const CONTEXT_LENGTH = 256;

interface Vocab {
  tokens: string[];
  types: number[];
  scores: number[];
  idOf(piece: string): number;
}

/**
 * `<unk> <s> </s> <|im_start|> <|im_end|>`, the 256 byte tokens, `▁`, printable ASCII, then
 * `extraPieces` (normal tokens).
 */
function buildVocab(extraPieces: readonly string[] = []): Vocab {
  const tokens: string[] = [];
  const types: number[] = [];
  const add = (piece: string, type: number) => {
    tokens.push(piece);
    types.push(type);
  };
  add("<unk>", TokenType.unknown);
  add("<s>", TokenType.control);
  add("</s>", TokenType.control);
  add("<|im_start|>", TokenType.control);
  add("<|im_end|>", TokenType.control);
  for (let byte = 0; byte < 256; byte++) {
    add(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`, TokenType.byte);
  }
  add("\u2581", TokenType.normal);
  for (let code = 0x21; code <= 0x7e; code++) add(String.fromCharCode(code), TokenType.normal);
  for (const piece of extraPieces) {
    if (tokens.includes(piece)) throw new Error(`tiny vocab already has ${JSON.stringify(piece)}`);
    add(piece, TokenType.normal);
  }
  const ids = new Map(tokens.map((piece, id) => [piece, id]));
  return {
    tokens,
    types,
    scores: tokens.map((_, id) => -id),
    idOf(piece) {
      const id = ids.get(piece);
      if (id === undefined) throw new Error(`tiny vocab has no ${JSON.stringify(piece)}`);
      return id;
    },
  };
}

/** mulberry32: small, seeded, good enough for weight noise. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Tensor {
  name: string;
  /** ggml order: `dims[0]` is the fastest-varying (row length). */
  dims: number[];
  data: Float32Array;
}

/** The tokens of the reply after a newline: one per character for the default, else one token. */
function replyPieces(reply: string): string[] {
  if (reply === TINY_REPLY) return [...reply];
  if (reply === "") throw new Error("the tiny model's reply must not be empty");
  return [reply.replaceAll(" ", "\u2581")];
}

function buildTensors(vocab: Vocab, seed: number, reply: readonly string[]): Tensor[] {
  const random = createRandom(seed);
  const noise = (count: number, scale: number) =>
    Float32Array.from({ length: count }, () => (random() * 2 - 1) * scale);
  const ones = (count: number) => new Float32Array(count).fill(1);
  const nVocab = vocab.tokens.length;

  // Each token's embedding is a one-hot "class" direction; the output layer maps a class to the
  // one token that follows it. Margins (~56 logits) dwarf the noise, so greedy decoding is certain.
  const replyChain = ["<0x0A>", ...reply, "<|im_end|>"];
  const chain: [from: string, to: string][] = [
    ...replyChain.slice(0, -1).map((from, index): [string, string] => [from, replyChain[index + 1] ?? ""]),
    ["l", "a"],
    ["a", "l"],
    ["#", "<0xC3>"],
    ["<0xC3>", "<0xA9>"],
    ["<0xA9>", "#"],
  ];
  const otherClass = chain.length;
  const classOf = new Map(chain.map(([from], index) => [vocab.idOf(from), index]));
  const embeddings = noise(N_EMBD * nVocab, 0.01);
  for (let token = 0; token < nVocab; token++) {
    embeddings[token * N_EMBD + (classOf.get(token) ?? otherClass)] = 1;
  }
  const output = noise(N_EMBD * nVocab, 0.02);
  for (const [index, [, to]] of chain.entries()) output[vocab.idOf(to) * N_EMBD + index] = 10;
  output[vocab.idOf("l") * N_EMBD + otherClass] = 10;

  const tensors: Tensor[] = [
    { name: "token_embd.weight", dims: [N_EMBD, nVocab], data: embeddings },
    { name: "output_norm.weight", dims: [N_EMBD], data: ones(N_EMBD) },
    { name: "output.weight", dims: [N_EMBD, nVocab], data: output },
  ];
  for (let layer = 0; layer < N_LAYER; layer++) {
    const square = (name: string) => ({
      name: `blk.${layer}.${name}.weight`,
      dims: [N_EMBD, N_EMBD],
      data: noise(N_EMBD * N_EMBD, 0.05),
    });
    tensors.push(
      { name: `blk.${layer}.attn_norm.weight`, dims: [N_EMBD], data: ones(N_EMBD) },
      square("attn_q"),
      square("attn_k"),
      square("attn_v"),
      square("attn_output"),
      { name: `blk.${layer}.ffn_norm.weight`, dims: [N_EMBD], data: ones(N_EMBD) },
      { name: `blk.${layer}.ffn_gate.weight`, dims: [N_EMBD, N_FF], data: noise(N_EMBD * N_FF, 0.05) },
      { name: `blk.${layer}.ffn_up.weight`, dims: [N_EMBD, N_FF], data: noise(N_EMBD * N_FF, 0.05) },
      { name: `blk.${layer}.ffn_down.weight`, dims: [N_FF, N_EMBD], data: noise(N_FF * N_EMBD, 0.01) },
    );
  }
  return tensors;
}

/** Little-endian GGUF serialiser: collects chunks, knows its length for alignment. */
class GgufWriter {
  private readonly chunks: Buffer[] = [];
  length = 0;

  private push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.length += chunk.length;
  }
  u32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeUInt32LE(value);
    this.push(chunk);
  }
  i32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeInt32LE(value);
    this.push(chunk);
  }
  u64(value: number): void {
    const chunk = Buffer.alloc(8);
    chunk.writeBigUInt64LE(BigInt(value));
    this.push(chunk);
  }
  f32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeFloatLE(value);
    this.push(chunk);
  }
  string(value: string): void {
    const bytes = Buffer.from(value, "utf8");
    this.u64(bytes.length);
    this.push(bytes);
  }
  bytes(value: Uint8Array): void {
    this.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
  }
  padTo(alignment: number): void {
    const padding = (alignment - (this.length % alignment)) % alignment;
    if (padding > 0) this.push(Buffer.alloc(padding));
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

type MetadataValue =
  | { type: "u32"; value: number }
  | { type: "f32"; value: number }
  | { type: "bool"; value: boolean }
  | { type: "string"; value: string }
  | { type: "string[]"; value: string[] }
  | { type: "f32[]"; value: number[] }
  | { type: "i32[]"; value: number[] };

function writeMetadataValue(writer: GgufWriter, entry: MetadataValue): void {
  switch (entry.type) {
    case "u32":
      writer.u32(GgufType.uint32);
      writer.u32(entry.value);
      return;
    case "f32":
      writer.u32(GgufType.float32);
      writer.f32(entry.value);
      return;
    case "bool":
      writer.u32(GgufType.bool);
      writer.bytes(Uint8Array.of(entry.value ? 1 : 0));
      return;
    case "string":
      writer.u32(GgufType.string);
      writer.string(entry.value);
      return;
    case "string[]":
      writer.u32(GgufType.array);
      writer.u32(GgufType.string);
      writer.u64(entry.value.length);
      for (const item of entry.value) writer.string(item);
      return;
    case "f32[]":
      writer.u32(GgufType.array);
      writer.u32(GgufType.float32);
      writer.u64(entry.value.length);
      for (const item of entry.value) writer.f32(item);
      return;
    case "i32[]":
      writer.u32(GgufType.array);
      writer.u32(GgufType.int32);
      writer.u64(entry.value.length);
      for (const item of entry.value) writer.i32(item);
      return;
  }
}

/** The bytes of the tiny model. Deterministic: same options, same bytes. */
export function buildTinyGguf(options: TinyGgufOptions = {}): Buffer {
  const {
    chatTemplate = TINY_CHATML_TEMPLATE,
    seed = 1,
    name = "tiny-chatml",
    reply = TINY_REPLY,
    contextLength = CONTEXT_LENGTH,
  } = options;
  const pieces = replyPieces(reply);
  const vocab = buildVocab(reply === TINY_REPLY ? [] : pieces);
  const tensors = buildTensors(vocab, seed, pieces);

  const metadata: [string, MetadataValue][] = [
    ["general.architecture", { type: "string", value: "llama" }],
    ["general.name", { type: "string", value: name }],
    ["general.alignment", { type: "u32", value: ALIGNMENT }],
    ["llama.context_length", { type: "u32", value: contextLength }],
    ["llama.embedding_length", { type: "u32", value: N_EMBD }],
    ["llama.block_count", { type: "u32", value: N_LAYER }],
    ["llama.feed_forward_length", { type: "u32", value: N_FF }],
    ["llama.attention.head_count", { type: "u32", value: N_HEAD }],
    ["llama.attention.head_count_kv", { type: "u32", value: N_HEAD }],
    ["llama.rope.dimension_count", { type: "u32", value: N_EMBD / N_HEAD }],
    ["llama.attention.layer_norm_rms_epsilon", { type: "f32", value: 1e-5 }],
    ["tokenizer.ggml.model", { type: "string", value: "llama" }],
    ["tokenizer.ggml.tokens", { type: "string[]", value: vocab.tokens }],
    ["tokenizer.ggml.scores", { type: "f32[]", value: vocab.scores }],
    ["tokenizer.ggml.token_type", { type: "i32[]", value: vocab.types }],
    ["tokenizer.ggml.unknown_token_id", { type: "u32", value: vocab.idOf("<unk>") }],
    ["tokenizer.ggml.bos_token_id", { type: "u32", value: vocab.idOf("<s>") }],
    ["tokenizer.ggml.eos_token_id", { type: "u32", value: vocab.idOf("</s>") }],
    ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
    ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
  ];
  if (chatTemplate !== false)
    metadata.push(["tokenizer.chat_template", { type: "string", value: chatTemplate }]);

  const writer = new GgufWriter();
  writer.bytes(Buffer.from("GGUF", "ascii"));
  writer.u32(3);
  writer.u64(tensors.length);
  writer.u64(metadata.length);
  for (const [key, entry] of metadata) {
    writer.string(key);
    writeMetadataValue(writer, entry);
  }

  let offset = 0;
  const offsets: number[] = [];
  for (const tensor of tensors) {
    offsets.push(offset);
    offset += Math.ceil(tensor.data.byteLength / ALIGNMENT) * ALIGNMENT;
  }
  for (const [index, tensor] of tensors.entries()) {
    writer.string(tensor.name);
    writer.u32(tensor.dims.length);
    for (const dim of tensor.dims) writer.u64(dim);
    writer.u32(0); // GGML_TYPE_F32
    writer.u64(offsets[index] ?? 0);
  }
  writer.padTo(ALIGNMENT);
  for (const tensor of tensors) {
    writer.bytes(new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
    writer.padTo(ALIGNMENT);
  }
  return writer.toBuffer();
}

/** Writes {@link buildTinyGguf} to `filePath` (creating its folder) and returns the path. */
export async function writeTinyGguf(filePath: string, options: TinyGgufOptions = {}): Promise<string> {
  await mkdir(dirname(filePath), { recursive: true });
  await writeFile(filePath, buildTinyGguf(options));
  return filePath;
}
