import type { Dirent } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import {
  type Document,
  type ErrorCode,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
} from "yaml";
import { z } from "zod";
import { checkQuizBalance } from "./checkQuizBalance.ts";
import type { ContentLibrary, ContentProblem, Lesson, LessonDemo, Question, Track } from "./content.ts";

/** Thrown when the content folder itself cannot be read; problems inside it are reported, not thrown. */
export class ContentDirError extends Error {
  constructor(dir: string, cause: unknown) {
    super(`Cannot read the content folder ${dir}: ${errorMessage(cause)}`, { cause });
    this.name = "ContentDirError";
  }
}

const TRACK_FILES = ["track.yaml", "track.yml"];
const YAML_EXTENSIONS = [".yaml", ".yml"];

// Ids end up inside button custom ids (at most 100 characters), so they stay short.
const MAX_ID_LENGTH = 40;
const MAX_QUESTION_ID_LENGTH = 30;

const idSchema = (max: number) =>
  z
    .string()
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be lowercase kebab-case, like `base-models`")
    .max(max, `must be at most ${max} characters`);

/** Text is trimmed before the length check, so a block scalar's trailing newline does not count. */
const textSchema = (max: number) =>
  z
    .string()
    .trim()
    .min(1, "must not be empty")
    .max(max, {
      error: (issue) => `must be at most ${max} characters (this one has ${lengthOf(issue.input)})`,
    });

/** A list with a size range; `max` left out means no upper limit. */
const countedList = <T extends z.ZodType>(item: T, noun: string, min: number, max?: number) => {
  const range = max === undefined ? `at least ${min}` : `${min} to ${max}`;
  const message = (issue: { input?: unknown }) =>
    `must have ${range} ${noun} (this one has ${lengthOf(issue.input)})`;
  const list = z.array(item).min(min, { error: message });
  return max === undefined ? list : list.max(max, { error: message });
};

const trackSchema = z.strictObject({
  id: idSchema(MAX_ID_LENGTH),
  title: textSchema(100),
  description: textSchema(1000),
  order: z.number().int(),
});

const snippetSchema = z.strictObject({
  title: textSchema(200),
  body: textSchema(3000),
});

const choiceSchema = z.strictObject({
  text: textSchema(300),
  correct: z.boolean().optional(),
  explanation: textSchema(600),
});

const questionSchema = z.strictObject({
  id: idSchema(MAX_QUESTION_ID_LENGTH),
  question: textSchema(1000),
  choices: countedList(choiceSchema, "choices", 2, 5).superRefine((choices, ctx) => {
    const correct = choices.filter((choice) => choice.correct === true).length;
    if (correct !== 1) {
      ctx.addIssue({
        code: "custom",
        message: `exactly one choice must be marked correct (found ${correct})`,
      });
    }
  }),
});

const sourceSchema = z.strictObject({
  title: textSchema(200),
  url: z
    .string()
    .trim()
    .refine((value) => /^https:\/\/[^\s/]+\.[^\s]+$/.test(value) && URL.canParse(value), {
      error: "must be a full https:// address",
    }),
});

const demoSchema = z.discriminatedUnion(
  "kind",
  [
    z.strictObject({
      kind: z.literal("compare"),
      prompt: textSchema(500),
      mode: z.enum(["side-by-side", "three-way"]).optional(),
      blind: z.boolean().optional(),
    }),
    z.strictObject({ kind: z.literal("nexttoken"), prompt: textSchema(500) }),
    z.strictObject({ kind: z.literal("template"), message: textSchema(500) }),
    z.strictObject({ kind: z.literal("tokenize"), text: textSchema(500) }),
  ],
  { error: "kind must be one of compare, nexttoken, template, tokenize" },
);

const lessonSchema = z.strictObject({
  id: idSchema(MAX_ID_LENGTH),
  title: textSchema(100),
  summary: textSchema(300),
  order: z.number().int(),
  compare_prompt: textSchema(500).optional(),
  demos: countedList(demoSchema, "demos", 1, 3)
    .superRefine((demos, ctx) => {
      demos.forEach((demo, index) => {
        if (demo.kind === "compare" && demo.blind && demo.mode === "three-way") {
          ctx.addIssue({
            code: "custom",
            path: [index, "blind"],
            message: "a blind vote compares two replies, so it can't be combined with mode: three-way",
          });
        }
      });
    })
    .optional(),
  sources: countedList(sourceSchema, "sources", 1, 8).optional(),
  requires: countedList(idSchema(MAX_ID_LENGTH), "lesson ids", 1, 5).optional(),
  snippets: countedList(snippetSchema, "snippets", 3, 8),
  quiz: countedList(questionSchema, "questions", 4).superRefine((questions, ctx) => {
    const seen = new Set<string>();
    questions.forEach((question, index) => {
      if (seen.has(question.id)) {
        ctx.addIssue({
          code: "custom",
          path: [index, "id"],
          message: `question id "${question.id}" is used twice in this lesson`,
        });
      }
      seen.add(question.id);
    });
  }),
});

/**
 * Reads every track folder under `dir`: a `track.yaml` plus one YAML file per lesson.
 * A file that fails to parse or validate is reported in `problems` (file, line, field, message) and
 * skipped; everything else loads. Tracks, lessons and problems come out in a fixed order.
 * Throws {@link ContentDirError} only when `dir` itself cannot be read.
 */
export async function loadContent(dir: string): Promise<ContentLibrary> {
  const problems: ContentProblem[] = [];
  const warnings: ContentProblem[] = [];
  const tracks: Track[] = [];
  const seen: SeenIds = { tracks: new Map(), lessons: new Map() };

  let entries: Dirent[];
  try {
    entries = sortByName(await readdir(dir, { withFileTypes: true }));
  } catch (error) {
    throw new ContentDirError(dir, error);
  }

  for (const entry of entries) {
    if (entry.isFile() && isYamlFile(entry.name)) {
      problems.push({
        file: entry.name,
        message: "lesson files belong inside a track folder; this file is ignored",
      });
    }
  }

  for (const folder of entries.filter((entry) => entry.isDirectory() && !entry.name.startsWith("."))) {
    const track = await loadTrack(dir, folder.name, { problems, warnings }, seen);
    if (track) tracks.push(track);
  }

  tracks.sort(byOrderThenId);
  warnings.push(...repeatedQuestions(tracks), ...unknownPrerequisites(tracks));
  return createLibrary(tracks, problems, warnings);
}

/** First file that used each track and lesson id; a later file with the same id is skipped. */
interface SeenIds {
  tracks: Map<string, string>;
  lessons: Map<string, string>;
}

async function loadTrack(
  root: string,
  folder: string,
  { problems, warnings }: { problems: ContentProblem[]; warnings: ContentProblem[] },
  seen: SeenIds,
): Promise<Track | undefined> {
  let entries: Dirent[];
  try {
    entries = sortByName(await readdir(path.join(root, folder), { withFileTypes: true }));
  } catch (error) {
    problems.push({ file: folder, message: `cannot read the folder: ${errorMessage(error)}` });
    return undefined;
  }

  const trackFileName = TRACK_FILES.find((name) =>
    entries.some((entry) => entry.isFile() && entry.name === name),
  );
  if (!trackFileName) {
    problems.push({
      file: `${folder}/track.yaml`,
      message: "track.yaml is missing, so this folder is skipped",
    });
    return undefined;
  }

  const trackFile = `${folder}/${trackFileName}`;
  const parsedTrack = await parseFile(root, trackFile, trackSchema);
  if ("problems" in parsedTrack) {
    problems.push(...parsedTrack.problems);
    return undefined;
  }
  const firstTrackFile = seen.tracks.get(parsedTrack.data.id);
  if (firstTrackFile) {
    problems.push({
      file: trackFile,
      line: parsedTrack.lineOf(["id"]),
      field: "id",
      message: `track id "${parsedTrack.data.id}" is already used by ${firstTrackFile}; this folder is skipped`,
    });
    return undefined;
  }

  const trackId = parsedTrack.data.id;
  const lessons: Lesson[] = [];
  const lessonFiles = entries.filter(
    (entry) => entry.isFile() && isYamlFile(entry.name) && !TRACK_FILES.includes(entry.name),
  );
  for (const entry of lessonFiles) {
    const file = `${folder}/${entry.name}`;
    const parsed = await parseFile(root, file, lessonSchema);
    if ("problems" in parsed) {
      problems.push(...parsed.problems);
      continue;
    }
    const lessonId = parsed.data.id;
    const firstFile = seen.lessons.get(lessonId);
    if (firstFile) {
      problems.push({
        file,
        line: parsed.lineOf(["id"]),
        field: "id",
        message: `lesson id "${lessonId}" is already used by ${firstFile}; this file is skipped`,
      });
      continue;
    }
    seen.lessons.set(lessonId, file);
    for (const message of checkQuizBalance(parsed.data.quiz)) {
      warnings.push({ file, line: parsed.lineOf(["quiz"]), field: "quiz", message });
    }
    lessons.push(toLesson(parsed.data, trackId, file));
  }

  if (lessons.length === 0) {
    problems.push({
      file: trackFile,
      message: "the track has no lesson that loaded, so it is left out",
    });
    return undefined;
  }

  seen.tracks.set(trackId, trackFile);
  lessons.sort(byOrderThenId);
  const { title, description, order } = parsedTrack.data;
  return { id: trackId, title, description, order, lessons };
}

function toLesson(data: z.output<typeof lessonSchema>, trackId: string, sourceFile: string): Lesson {
  const questions: Question[] = data.quiz.map((question) => ({
    id: `${data.id}/${question.id}`,
    lessonId: data.id,
    prompt: question.question,
    choices: question.choices.map((choice) => ({
      text: choice.text,
      correct: choice.correct === true,
      explanation: choice.explanation,
    })),
  }));
  return {
    id: data.id,
    trackId,
    title: data.title,
    summary: data.summary,
    order: data.order,
    snippets: data.snippets,
    questions,
    demos: [
      // The older single field is kept working: it is a plain compare demo.
      ...(data.compare_prompt === undefined
        ? []
        : [
            {
              kind: "compare" as const,
              prompt: data.compare_prompt,
              mode: "side-by-side" as const,
              blind: false,
            },
          ]),
      ...(data.demos ?? []).map(toDemo),
    ],
    sources: data.sources ?? [],
    requires: data.requires ?? [],
    sourceFile,
  };
}

/** A `requires` entry that names no lesson is a typo: warn (the suggestion is then left out). */
function unknownPrerequisites(tracks: readonly Track[]): ContentProblem[] {
  const lessons = tracks.flatMap((track) => track.lessons);
  const ids = new Set(lessons.map((lesson) => lesson.id));
  const unknown: ContentProblem[] = [];
  for (const lesson of lessons) {
    for (const id of lesson.requires) {
      if (!ids.has(id) || id === lesson.id) {
        unknown.push({
          file: lesson.sourceFile,
          field: "requires",
          message:
            id === lesson.id
              ? "a lesson cannot require itself"
              : `requires "${id}", but no lesson has that id`,
        });
      }
    }
    lesson.requires = lesson.requires.filter((id) => ids.has(id) && id !== lesson.id);
  }
  return unknown;
}

/** The same question text in two lessons confuses members (and reviews): warn at the later one. */
function repeatedQuestions(tracks: readonly Track[]): ContentProblem[] {
  const first = new Map<string, Question>();
  const repeated: ContentProblem[] = [];
  for (const lesson of tracks.flatMap((track) => track.lessons)) {
    for (const question of lesson.questions) {
      const earlier = first.get(question.prompt);
      if (earlier) {
        repeated.push({
          file: lesson.sourceFile,
          field: "quiz",
          message: `question ${question.id} asks exactly what ${earlier.id} asks; reword one of them`,
        });
      } else {
        first.set(question.prompt, question);
      }
    }
  }
  return repeated;
}

function toDemo(demo: z.output<typeof demoSchema>): LessonDemo {
  return demo.kind === "compare"
    ? { kind: "compare", prompt: demo.prompt, mode: demo.mode ?? "side-by-side", blind: demo.blind ?? false }
    : demo;
}

// The parser's wording is exact but terse; these are the mistakes lesson authors make most.
const QUOTE_HINT = " (check the indentation, and put text that contains `: ` in double quotes)";
const YAML_HINTS: Partial<Record<ErrorCode, string>> = {
  BLOCK_AS_IMPLICIT_KEY: QUOTE_HINT,
  MULTILINE_IMPLICIT_KEY: QUOTE_HINT,
  BAD_SCALAR_START: " (text starting with a backtick, `@` or `%` must be put in double quotes)",
};

/** Maps a path of keys and indexes inside a YAML document to the 1-based line where it is written. */
type LineFinder = (fieldPath: readonly PropertyKey[]) => number | undefined;

type ParseResult<T> = { data: T; lineOf: LineFinder } | { problems: ContentProblem[] };

async function parseFile<T>(root: string, file: string, schema: z.ZodType<T>): Promise<ParseResult<T>> {
  let source: string;
  try {
    source = await readFile(path.join(root, file), "utf8");
  } catch (error) {
    return { problems: [{ file, message: `cannot read the file: ${errorMessage(error)}` }] };
  }

  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  // Later syntax errors are usually echoes of the first one, so only the first is reported.
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    return {
      problems: [
        {
          file,
          line: lineCounter.linePos(syntaxError.pos[0]).line,
          message: `invalid YAML: ${syntaxError.message}${YAML_HINTS[syntaxError.code] ?? ""}`,
        },
      ],
    };
  }
  if (doc.contents === null) {
    return { problems: [{ file, message: "the file is empty" }] };
  }

  const lineOf = createLineFinder(doc, lineCounter);
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    return { problems: [{ file, message: `invalid YAML: ${errorMessage(error)}` }] };
  }

  const result = schema.safeParse(raw, { error: readableTypeError });
  if (result.success) return { data: result.data, lineOf };

  const problems = result.error.issues.flatMap((issue): ContentProblem[] => {
    if (issue.code === "unrecognized_keys") {
      const allowed = allowedKeysAt(schema, issue.path).join(", ");
      return issue.keys.map((key) =>
        problemAt(file, lineOf, [...issue.path, key], `unknown key "${key}"; allowed here: ${allowed}`),
      );
    }
    return [problemAt(file, lineOf, issue.path, issue.message)];
  });
  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  return { problems };
}

function problemAt(
  file: string,
  lineOf: LineFinder,
  fieldPath: readonly PropertyKey[],
  message: string,
): ContentProblem {
  const problem: ContentProblem = { file, message };
  const line = lineOf(fieldPath);
  if (line !== undefined) problem.line = line;
  if (fieldPath.length > 0) problem.field = fieldPath.map(String).join(".");
  return problem;
}

/**
 * Walks the document along the path as far as it exists. A map entry is located at its key, so a
 * missing field points at the object that lacks it and a bad field at its own `key:` line.
 */
function createLineFinder(doc: Document, lineCounter: LineCounter): LineFinder {
  const lineAt = (node: unknown) =>
    isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;

  return (fieldPath) => {
    let node: unknown = doc.contents;
    let line = lineAt(node);
    for (const segment of fieldPath) {
      if (isMap(node)) {
        const pair = node.items.find((item) => (isScalar(item.key) ? item.key.value : item.key) === segment);
        if (!pair) break;
        line = lineAt(pair.key) ?? line;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === "number") {
        const item = node.items[segment];
        if (item === undefined) break;
        line = lineAt(item) ?? line;
        node = item;
      } else {
        break;
      }
    }
    return line;
  };
}

function allowedKeysAt(schema: z.ZodType, fieldPath: readonly PropertyKey[]): string[] {
  let current: unknown = schema;
  for (const segment of fieldPath) {
    if (current instanceof z.ZodArray) current = current.element;
    else if (current instanceof z.ZodObject && typeof segment === "string") current = current.shape[segment];
    else return [];
  }
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

const TYPE_NAMES: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  object: "a mapping of keys to values",
  array: "a list",
};

/** Rewords zod's type errors for people who write YAML rather than TypeScript. */
const readableTypeError: z.core.$ZodErrorMap = (issue) => {
  if (issue.code !== "invalid_type") return undefined;
  if (issue.input === undefined) return "is required";
  return `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
};

function describeValue(value: unknown): string {
  if (value === null) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return "text";
  if (typeof value === "boolean") return "true/false";
  return `a ${typeof value}`;
}

function createLibrary(
  tracks: Track[],
  problems: ContentProblem[],
  warnings: ContentProblem[],
): ContentLibrary {
  const lessons = tracks.flatMap((track) => track.lessons);
  const questions = lessons.flatMap((lesson) => lesson.questions);
  const lessonById = new Map(lessons.map((lesson) => [lesson.id, lesson]));
  const questionById = new Map(questions.map((question) => [question.id, question]));
  return {
    tracks,
    problems,
    warnings,
    getLesson: (id) => lessonById.get(id),
    getQuestion: (id) => questionById.get(id),
    allLessons: () => [...lessons],
    allQuestions: () => [...questions],
  };
}

function byOrderThenId(a: { order: number; id: string }, b: { order: number; id: string }): number {
  return a.order - b.order || compareStrings(a.id, b.id);
}

// Code-point order, so the result does not depend on the machine's locale.
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortByName(entries: Dirent[]): Dirent[] {
  return [...entries].sort((a, b) => compareStrings(a.name, b.name));
}

function isYamlFile(name: string): boolean {
  return YAML_EXTENSIONS.includes(path.extname(name).toLowerCase());
}

function lengthOf(value: unknown): number {
  return typeof value === "string" || Array.isArray(value) ? value.length : 0;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
