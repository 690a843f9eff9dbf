import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { type Document, LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { type Config, ConfigError } from "../config.ts";
import { builtInPairs, DEFAULT_PAIR_ID } from "./builtInPairs.ts";
import type { EngineEndpoint, ModelPair, ModelSource, PairCatalogue } from "./ModelPair.ts";
import { ModelSourceError, parseModelSource } from "./parseModelSource.ts";

/**
 * The operator's pairs file or the pair settings cannot be used. The message names the file, the
 * line and the field (`pairs.yaml:12: pairs[1].base: …`), or the setting. A {@link ConfigError},
 * so the bot stops at start with that one line.
 */
export class PairCatalogueError extends ConfigError {
  constructor(message: string) {
    super(message);
    this.name = "PairCatalogueError";
  }
}

/** The settings {@link loadPairCatalogue} reads. */
export type PairSettings = Pick<
  Config,
  "BASE_MODEL" | "INSTRUCT_MODEL" | "DEFAULT_PAIR" | "MODEL_PAIRS_FILE"
>;

/** Id of the pair BASE_MODEL/INSTRUCT_MODEL form. */
export const SETTINGS_PAIR_ID = "settings";

const idPattern = /^[a-z0-9][a-z0-9._-]*$/;
const id = z.string().regex(idPattern, "must be lower-case letters, digits, dots, dashes or underscores");

const engineSchema = z.strictObject({
  id,
  url: z
    .url({ protocol: /^https?$/, message: "must be an http(s) URL such as http://10.0.0.5:8080" })
    // The URL is shown in /status and in every engine error; a password in it would be too.
    .refine((url) => {
      const parsed = new URL(url);
      return parsed.username === "" && parsed.password === "";
    }, "must not hold a user name or password; put the key in an environment variable and name that variable in apiKeyEnv")
    .refine(
      (url) => new URL(url).search === "",
      "must not have a query string (it is shown in /status); put a key in an environment variable and name it in apiKeyEnv",
    ),
  apiKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be the name of an environment variable, such as GPU_BOX_API_KEY")
    .optional(),
  slots: z.number().int().min(1).max(256).optional(),
  chatTemplateFile: z.string().min(1).optional(),
  timeoutMs: z.number().int().min(100).max(3_600_000).optional(),
});

const pairSchema = z.strictObject({
  id,
  label: z.string().min(1).max(80).optional(),
  base: z.string().min(1).optional(),
  instruct: z.string().min(1).optional(),
  sizeBytes: z.number().int().min(0).optional(),
  license: z.string().min(1).optional(),
  templateFamily: z.string().min(1).optional(),
  shows: z.string().min(1).max(200).optional(),
});

const fileSchema = z.strictObject({
  default: id.optional(),
  engines: z.array(engineSchema).default([]),
  pairs: z.array(pairSchema).default([]),
});

type PathPart = string | number;

/** Where a value sits in the operator's file, for messages. */
class FileLocator {
  constructor(
    private readonly file: string,
    private readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /** `pairs.yaml:12: pairs[1].base: message`, with the line of the nearest node that exists. */
  error(path: readonly PathPart[], message: string): PairCatalogueError {
    return new PairCatalogueError(`${this.file}:${this.lineOf(path)}: ${formatPath(path)}${message}`);
  }

  lineOf(path: readonly PathPart[]): number {
    for (let length = path.length; length >= 0; length--) {
      const node = this.document.getIn(path.slice(0, length), true) as
        | { range?: [number, number, number] }
        | undefined;
      if (node && typeof node === "object" && node.range) return this.lines.linePos(node.range[0]).line;
    }
    return 1;
  }
}

function formatPath(path: readonly PathPart[]): string {
  if (path.length === 0) return "";
  let text = "";
  for (const part of path) text += typeof part === "number" ? `[${part}]` : text === "" ? part : `.${part}`;
  return `${text}: `;
}

function describeIssue(issue: z.core.$ZodIssue): { path: PathPart[]; message: string } {
  const path = issue.path.filter((part): part is PathPart => typeof part !== "symbol");
  if (issue.code === "unrecognized_keys") {
    if (issue.keys.some((key) => /^api_?key$/i.test(key))) {
      return {
        path,
        message:
          "API keys are not read from this file; put the key in an environment variable and name that variable in apiKeyEnv",
      };
    }
    return { path, message: `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}` };
  }
  if (issue.code === "invalid_type" && issue.input === undefined) return { path, message: "is required" };
  return { path, message: issue.message };
}

type OperatorFile = z.infer<typeof fileSchema>;

/** Reads and checks the operator's file; every problem is a {@link PairCatalogueError}. */
function readOperatorFile(path: string): { content: OperatorFile; locator: FileLocator } {
  const shown = path;
  let text: string;
  try {
    text = readFileSync(resolve(path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new PairCatalogueError(`MODEL_PAIRS_FILE: cannot read ${shown}: ${reason}`);
  }
  const lines = new LineCounter();
  // JSON is YAML too, so one parser serves both and gives line numbers for both.
  const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const syntax = document.errors[0];
  if (syntax) {
    const line = syntax.linePos?.[0]?.line ?? lines.linePos(syntax.pos[0]).line;
    throw new PairCatalogueError(
      `${shown}:${line}: not valid YAML or JSON: ${syntax.message.split("\n")[0]}`,
    );
  }
  const locator = new FileLocator(shown, document, lines);
  const raw: unknown = document.toJS() ?? {};
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (first) {
      const { path: at, message } = describeIssue(first);
      throw locator.error(at, message);
    }
  }
  if (!parsed.success) throw new PairCatalogueError(`${shown}: not a pairs file`);
  return { content: parsed.data, locator };
}

function findDuplicate<T extends { id: string }>(
  items: readonly T[],
): { index: number; first: number } | undefined {
  const seen = new Map<string, number>();
  for (const [index, item] of items.entries()) {
    const first = seen.get(item.id);
    if (first !== undefined) return { index, first };
    seen.set(item.id, index);
  }
  return undefined;
}

function checkEngine(source: ModelSource, engines: readonly EngineEndpoint[]): string | undefined {
  if (source.kind !== "engine" || engines.some((engine) => engine.id === source.engine)) return undefined;
  const known = engines.map((engine) => engine.id);
  return `engine "${source.engine}" is not defined under engines${known.length ? ` (defined: ${known.join(", ")})` : " (the file defines none)"}`;
}

/**
 * The pairs the bot may use: the built-in ones, changed and extended by the operator's file
 * (MODEL_PAIRS_FILE), plus the pair BASE_MODEL/INSTRUCT_MODEL form when either is set. The default
 * pair is, in order: that settings pair, DEFAULT_PAIR, the file's `default`, `smollm2-135m`.
 *
 * An operator entry whose id is a built-in pair replaces only the fields it gives; a new id needs
 * `base` and `instruct`. Throws a {@link PairCatalogueError} naming file, line and field.
 */
export function loadPairCatalogue(settings: PairSettings): PairCatalogue {
  const pairs = new Map<string, ModelPair>(builtInPairs.map((pair) => [pair.id, pair]));
  let engines: EngineEndpoint[] = [];
  let fileDefault: string | undefined;

  if (settings.MODEL_PAIRS_FILE !== undefined) {
    const { content, locator } = readOperatorFile(settings.MODEL_PAIRS_FILE);
    const engineClash = findDuplicate(content.engines);
    if (engineClash) {
      const line = locator.lineOf(["engines", engineClash.first, "id"]);
      throw locator.error(
        ["engines", engineClash.index, "id"],
        `"${content.engines[engineClash.index]?.id}" is already defined at line ${line}`,
      );
    }
    const pairClash = findDuplicate(content.pairs);
    if (pairClash) {
      const line = locator.lineOf(["pairs", pairClash.first, "id"]);
      throw locator.error(
        ["pairs", pairClash.index, "id"],
        `"${content.pairs[pairClash.index]?.id}" is already defined at line ${line}`,
      );
    }
    engines = content.engines.map((engine) => ({ ...engine }));
    for (const [index, entry] of content.pairs.entries()) {
      const existing = pairs.get(entry.id);
      const sides: Partial<Record<"base" | "instruct", ModelSource>> = {};
      for (const side of ["base", "instruct"] as const) {
        const text = entry[side];
        if (text === undefined) continue;
        try {
          sides[side] = parseModelSource(text);
        } catch (error) {
          if (error instanceof ModelSourceError) throw locator.error(["pairs", index, side], error.message);
          throw error;
        }
        const problem = checkEngine(sides[side], engines);
        if (problem) throw locator.error(["pairs", index, side], problem);
      }
      const base = sides.base ?? existing?.base;
      const instruct = sides.instruct ?? existing?.instruct;
      if (!base || !instruct) {
        const missing = base ? "instruct" : "base";
        throw locator.error(
          ["pairs", index],
          `"${entry.id}" is not a built-in pair, so it needs both base and instruct (${missing} is missing)`,
        );
      }
      // Changed files make the built-in size meaningless unless the operator gives one.
      const sizeBytes = entry.sizeBytes ?? (entry.base || entry.instruct ? undefined : existing?.sizeBytes);
      pairs.set(entry.id, {
        id: entry.id,
        label: entry.label ?? existing?.label ?? entry.id,
        base,
        instruct,
        ...(sizeBytes !== undefined ? { sizeBytes } : {}),
        ...optional("license", entry.license ?? existing?.license),
        ...optional("templateFamily", entry.templateFamily ?? existing?.templateFamily),
        ...optional("shows", entry.shows ?? existing?.shows),
        origin: "operator",
      });
    }
    if (content.default !== undefined) {
      if (!pairs.has(content.default)) {
        throw locator.error(
          ["default"],
          `no pair "${content.default}" (known: ${[...pairs.keys()].join(", ")})`,
        );
      }
      fileDefault = content.default;
    }
  }

  const chosen = settings.DEFAULT_PAIR ?? fileDefault ?? DEFAULT_PAIR_ID;
  const fallback = pairs.get(chosen);
  if (!fallback) {
    throw new PairCatalogueError(
      `DEFAULT_PAIR: no pair "${chosen}" (known: ${[...pairs.keys()].join(", ")})`,
    );
  }
  let defaultPairId = chosen;
  if (settings.BASE_MODEL !== undefined || settings.INSTRUCT_MODEL !== undefined) {
    const side = (variable: "BASE_MODEL" | "INSTRUCT_MODEL", fromPair: ModelSource): ModelSource => {
      const text = settings[variable];
      if (text === undefined) return fromPair;
      try {
        const source = parseModelSource(text, { allowHfTag: true });
        const problem = checkEngine(source, engines);
        if (problem) throw new PairCatalogueError(`${variable}: ${problem}`);
        return source;
      } catch (error) {
        if (error instanceof ModelSourceError) throw new PairCatalogueError(`${variable}: ${error.message}`);
        throw error;
      }
    };
    pairs.set(SETTINGS_PAIR_ID, {
      id: SETTINGS_PAIR_ID,
      label: "BASE_MODEL / INSTRUCT_MODEL",
      base: side("BASE_MODEL", fallback.base),
      instruct: side("INSTRUCT_MODEL", fallback.instruct),
      origin: "settings",
    });
    defaultPairId = SETTINGS_PAIR_ID;
  }
  return { pairs: [...pairs.values()], engines, defaultPairId };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, string>);
}

/** The pair with this id, or undefined. */
export function findPair(catalogue: PairCatalogue, pairId: string): ModelPair | undefined {
  return catalogue.pairs.find((pair) => pair.id === pairId);
}

/** The catalogue's default pair (always present: {@link loadPairCatalogue} checks it). */
export function defaultPair(catalogue: PairCatalogue): ModelPair {
  const pair = findPair(catalogue, catalogue.defaultPairId);
  if (!pair)
    throw new PairCatalogueError(`the default pair "${catalogue.defaultPairId}" is not in the catalogue`);
  return pair;
}
