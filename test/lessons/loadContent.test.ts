import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { rightIsLongest } from "../../src/lessons/checkQuizBalance.ts";
import { ContentDirError, loadContent } from "../../src/lessons/loadContent.ts";

const BUNDLED_CONTENT = fileURLToPath(new URL("../../content", import.meta.url));

describe("loadContent on the bundled content", () => {
  it("GIVEN the bundled content folder THEN the foundations track loads its six lessons in order with no problems", async () => {
    const library = await loadContent(BUNDLED_CONTENT);

    expect(library.problems).toEqual([]);
    expect(library.tracks[0]?.id).toBe("foundations");
    expect(library.getLesson("next-token-prediction")?.trackId).toBe("foundations");
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(
      expect.arrayContaining([
        "next-token-prediction",
        "base-models",
        "instruct-models",
        "chat-templates",
        "which-to-fine-tune",
        "choosing-a-model",
      ]),
    );
  });

  it("GIVEN every bundled lesson THEN it has 3–8 snippets, a demo and at least 4 questions with exactly one correct choice", async () => {
    const library = await loadContent(BUNDLED_CONTENT);

    for (const lesson of library.allLessons()) {
      expect(lesson.snippets.length, lesson.id).toBeGreaterThanOrEqual(3);
      expect(lesson.snippets.length, lesson.id).toBeLessThanOrEqual(8);
      expect(lesson.demos.length, lesson.id).toBeGreaterThan(0);
      expect(lesson.questions.length, lesson.id).toBeGreaterThanOrEqual(4);
      for (const question of lesson.questions) {
        expect(
          question.choices.filter((choice) => choice.correct),
          question.id,
        ).toHaveLength(1);
        for (const choice of question.choices) expect(choice.explanation, question.id).not.toBe("");
      }
    }
  });

  it("GIVEN a loaded library THEN question ids are lesson-scoped and both lookups find what the lists contain", async () => {
    const library = await loadContent(BUNDLED_CONTENT);
    const question = library.getQuestion("base-models/few-shot");

    expect(question?.lessonId).toBe("base-models");
    expect(library.getLesson("chat-templates")?.sourceFile).toBe("foundations/chat-templates.yaml");
    expect(library.getLesson("no-such-lesson")).toBeUndefined();
    expect(library.allQuestions()).toHaveLength(
      library.allLessons().reduce((sum, lesson) => sum + lesson.questions.length, 0),
    );
    for (const q of library.allQuestions()) {
      expect(q.id.startsWith(`${q.lessonId}/`)).toBe(true);
      expect(library.getQuestion(q.id)).toBe(q);
    }
  });
});

/** A valid lesson; tests break one thing in it and point at the line they broke. */
function lessonYaml(id: string, order = 1): string {
  const question = (n: string) => `  - id: q-${n}
    question: Question ${n}?
    choices:
      - text: Right ${n}
        correct: true
        explanation: Because it is right.
      - text: Wrong ${n}
        explanation: Because it is wrong.
`;
  return `id: ${id}
title: Lesson ${id}
summary: A lesson written for the tests.
order: ${order}
snippets:
  - title: First idea
    body: |
      The first idea.
  - title: Second idea
    body: |
      The second idea.
  - title: Third idea
    body: |
      The third idea.
quiz:
${["one", "two", "three", "four"].map(question).join("")}`;
}

function trackYaml(id: string, order = 1): string {
  return `id: ${id}\ntitle: Track ${id}\ndescription: A track written for the tests.\norder: ${order}\n`;
}

/** 1-based line of the only line containing `text`. */
function lineOf(source: string, text: string): number {
  const lines = source.split("\n");
  const matches = lines.flatMap((line, index) => (line.includes(text) ? [index + 1] : []));
  if (matches.length !== 1) throw new Error(`expected one line containing ${JSON.stringify(text)}`);
  return matches[0] as number;
}

function replaceOnce(source: string, search: string, replacement: string): string {
  if (source.split(search).length !== 2) throw new Error(`expected one ${JSON.stringify(search)}`);
  return source.replace(search, replacement);
}

describe("loadContent on malformed content", () => {
  const dirs: string[] = [];

  async function writePack(files: Record<string, string>): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "lm-tutor-content-"));
    dirs.push(dir);
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    return dir;
  }

  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("GIVEN a YAML syntax error THEN it is reported at its line with a quoting hint and the good lesson still loads", async () => {
    const bad = replaceOnce(
      lessonYaml("broken"),
      "summary: A lesson written for the tests.",
      "summary: Tokens: the basics",
    );
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
      "t/bad.yaml": bad,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "t/bad.yaml",
        line: lineOf(bad, "summary: Tokens: the basics"),
        message:
          "invalid YAML: Nested mappings are not allowed in compact mappings (check the indentation, and put text that contains `: ` in double quotes)",
      },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN a question with two correct choices THEN the choices field of that question is reported on its line", async () => {
    const bad = replaceOnce(
      lessonYaml("two-right"),
      "      - text: Wrong two\n",
      "      - text: Wrong two\n        correct: true\n",
    );
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
      "t/bad.yaml": bad,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "t/bad.yaml",
        // `choices:` comes right after the question text.
        line: lineOf(bad, "question: Question two?") + 1,
        field: "quiz.1.choices",
        message: "exactly one choice must be marked correct (found 2)",
      },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN a question with no correct choice THEN the choices field reports that none was found", async () => {
    const bad = replaceOnce(
      lessonYaml("no-right"),
      "      - text: Right four\n        correct: true\n",
      "      - text: Right four\n",
    );
    const dir = await writePack({ "t/track.yaml": trackYaml("t"), "t/bad.yaml": bad });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "t/bad.yaml",
        line: lineOf(bad, "question: Question four?") + 1,
        field: "quiz.3.choices",
        message: "exactly one choice must be marked correct (found 0)",
      },
      { file: "t/track.yaml", message: "the track has no lesson that loaded, so it is left out" },
    ]);
    expect(library.tracks).toEqual([]);
  });

  it("GIVEN a choice without an explanation THEN the missing field is reported at that choice's line", async () => {
    const bad = replaceOnce(
      lessonYaml("unexplained"),
      "      - text: Wrong three\n        explanation: Because it is wrong.\n",
      "      - text: Wrong three\n",
    );
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
      "t/bad.yaml": bad,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "t/bad.yaml",
        line: lineOf(bad, "- text: Wrong three"),
        field: "quiz.2.choices.1.explanation",
        message: "is required",
      },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN a misspelt key THEN the unknown key is reported at its line with the allowed keys, as is the key it replaced", async () => {
    const bad = replaceOnce(lessonYaml("typo"), "quiz:\n", "quizz:\n");
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
      "t/bad.yaml": bad,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      { file: "t/bad.yaml", line: 1, field: "quiz", message: "is required" },
      {
        file: "t/bad.yaml",
        line: lineOf(bad, "quizz:"),
        field: "quizz",
        message:
          'unknown key "quizz"; allowed here: id, title, summary, order, compare_prompt, demos, sources, requires, snippets, quiz',
      },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN two lessons with the same id in different tracks THEN the one read later is reported at its id line and skipped", async () => {
    const copy = lessonYaml("shared", 2);
    const dir = await writePack({
      "a/track.yaml": trackYaml("a"),
      "a/first.yaml": lessonYaml("shared"),
      "b/track.yaml": trackYaml("b", 2),
      "b/good.yaml": lessonYaml("good"),
      "b/copy.yaml": copy,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "b/copy.yaml",
        line: lineOf(copy, "id: shared"),
        field: "id",
        message: 'lesson id "shared" is already used by a/first.yaml; this file is skipped',
      },
    ]);
    expect(library.getLesson("shared")?.sourceFile).toBe("a/first.yaml");
    expect(library.tracks.map((track) => [track.id, track.lessons.map((lesson) => lesson.id)])).toEqual([
      ["a", ["shared"]],
      ["b", ["good"]],
    ]);
  });

  it("GIVEN a snippet body one character over 3000 THEN the body field is reported on its line with its length", async () => {
    const bad = replaceOnce(
      lessonYaml("too-long"),
      "      The second idea.\n",
      `      ${"x".repeat(3001)}\n`,
    );
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
      "t/bad.yaml": bad,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "t/bad.yaml",
        // `body: |` comes right after the snippet title.
        line: lineOf(bad, "title: Second idea") + 1,
        field: "snippets.1.body",
        message: "must be at most 3000 characters (this one has 3001)",
      },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN a snippet body of exactly 3000 characters plus the block's trailing newline THEN it loads", async () => {
    const edge = replaceOnce(lessonYaml("edge"), "      The second idea.\n", `      ${"x".repeat(3000)}\n`);
    const dir = await writePack({ "t/track.yaml": trackYaml("t"), "t/edge.yaml": edge });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([]);
    expect(library.getLesson("edge")?.snippets[1]?.body).toHaveLength(3000);
  });

  it("GIVEN a track folder without track.yaml THEN that folder is reported and skipped while other tracks load", async () => {
    const dir = await writePack({
      "drafts/orphan.yaml": lessonYaml("orphan"),
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      { file: "drafts/track.yaml", message: "track.yaml is missing, so this folder is skipped" },
    ]);
    expect(library.tracks.map((track) => track.id)).toEqual(["t"]);
    expect(library.getLesson("orphan")).toBeUndefined();
  });

  it("GIVEN an invalid track.yaml THEN its field is reported on its line and the folder's lessons are skipped", async () => {
    const badTrack = replaceOnce(trackYaml("t"), "id: t", "id: My Track");
    const dir = await writePack({
      "bad/track.yaml": badTrack,
      "bad/lesson.yaml": lessonYaml("in-bad-track"),
      "good/track.yaml": trackYaml("good-track"),
      "good/good.yaml": lessonYaml("good"),
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "bad/track.yaml",
        line: 1,
        field: "id",
        message: "must be lowercase kebab-case, like `base-models`",
      },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN two questions with the same id in a lesson THEN the second one's id line is reported", async () => {
    const bad = replaceOnce(lessonYaml("dup-question"), "  - id: q-four\n", "  - id: q-one\n");
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
      "t/bad.yaml": bad,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "t/bad.yaml",
        line: lineOf(bad, "question: Question four?") - 1,
        field: "quiz.3.id",
        message: 'question id "q-one" is used twice in this lesson',
      },
    ]);
  });

  it("GIVEN a lesson with three questions and another with six choices in a question THEN each count is reported at its key", async () => {
    const few = lessonYaml("few").slice(0, lessonYaml("few").indexOf("  - id: q-four"));
    const extraChoices = "      - text: Extra\n        explanation: One too many.\n".repeat(4);
    const many = replaceOnce(
      lessonYaml("many"),
      "      - text: Wrong one\n",
      `${extraChoices}      - text: Wrong one\n`,
    );
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/few.yaml": few,
      "t/good.yaml": lessonYaml("good"),
      "t/many.yaml": many,
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      {
        file: "t/few.yaml",
        line: lineOf(few, "quiz:"),
        field: "quiz",
        message: "must have at least 4 questions (this one has 3)",
      },
      {
        file: "t/many.yaml",
        line: lineOf(many, "question: Question one?") + 1,
        field: "quiz.0.choices",
        message: "must have 2 to 5 choices (this one has 6)",
      },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN a value of the wrong type THEN the message names the expected and the actual type", async () => {
    const bad = replaceOnce(lessonYaml("wrong-type"), "order: 1", "order: first");
    const dir = await writePack({
      "t/track.yaml": trackYaml("t"),
      "t/bad.yaml": bad,
      "t/good.yaml": lessonYaml("good"),
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      { file: "t/bad.yaml", line: 4, field: "order", message: "must be a number, not text" },
    ]);
  });

  it("GIVEN Markdown notes, a stray lesson at the top level and a hidden folder THEN only the stray YAML file is reported", async () => {
    const dir = await writePack({
      "README.md": "# Our pack",
      "lesson.yaml": lessonYaml("stray"),
      ".git/config": "[core]",
      "t/README.md": "Notes for authors",
      "t/track.yaml": trackYaml("t"),
      "t/good.yaml": lessonYaml("good"),
    });

    const library = await loadContent(dir);

    expect(library.problems).toEqual([
      { file: "lesson.yaml", message: "lesson files belong inside a track folder; this file is ignored" },
    ]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual(["good"]);
  });

  it("GIVEN order fields that disagree with file and folder names THEN tracks and lessons follow order, then id", async () => {
    const dir = await writePack({
      "a/track.yaml": trackYaml("late", 2),
      "a/x.yaml": lessonYaml("late-lesson"),
      "b/track.yaml": trackYaml("early", 1),
      "b/1.yaml": lessonYaml("third", 3),
      "b/2.yaml": lessonYaml("first-b", 1),
      "b/3.yaml": lessonYaml("first-a", 1),
    });

    const library = await loadContent(dir);

    expect(library.tracks.map((track) => track.id)).toEqual(["early", "late"]);
    expect(library.allLessons().map((lesson) => lesson.id)).toEqual([
      "first-a",
      "first-b",
      "third",
      "late-lesson",
    ]);
  });

  it("GIVEN a content folder that does not exist THEN loading throws a ContentDirError naming it", async () => {
    const missing = path.join(tmpdir(), "lm-tutor-no-such-content-folder");

    await expect(loadContent(missing)).rejects.toThrow(ContentDirError);
    await expect(loadContent(missing)).rejects.toThrow(missing);
  });
});

describe("loadContent: demos, sources and quiz balance", () => {
  const dirs: string[] = [];

  async function loadLesson(extra: string, quiz?: string) {
    const dir = await mkdtemp(path.join(tmpdir(), "lm-tutor-content-"));
    dirs.push(dir);
    await mkdir(path.join(dir, "t"), { recursive: true });
    await writeFile(path.join(dir, "t", "track.yaml"), trackYaml("t"));
    const lesson =
      quiz === undefined ? lessonYaml("demo") : `${lessonYaml("demo").split("quiz:")[0]}quiz:\n${quiz}`;
    await writeFile(path.join(dir, "t", "demo.yaml"), `${lesson}${extra}`);
    return loadContent(dir);
  }

  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it("GIVEN demos of every kind and sources THEN they load with their defaults, after an older compare_prompt", async () => {
    const library = await loadLesson(`compare_prompt: Old prompt
demos:
  - kind: compare
    prompt: The capital of France is
    mode: three-way
  - kind: nexttoken
    prompt: Once upon a time
  - kind: template
    message: What is a token?
sources:
  - title: A paper
    url: https://arxiv.org/abs/1706.03762
`);
    expect(library.problems).toEqual([]);
    const lesson = library.getLesson("demo");
    expect(lesson?.demos).toEqual([
      { kind: "compare", prompt: "Old prompt", mode: "side-by-side", blind: false },
      { kind: "compare", prompt: "The capital of France is", mode: "three-way", blind: false },
      { kind: "nexttoken", prompt: "Once upon a time" },
      { kind: "template", message: "What is a token?" },
    ]);
    expect(lesson?.sources).toEqual([{ title: "A paper", url: "https://arxiv.org/abs/1706.03762" }]);
  });

  it.each([
    [
      "an unknown demo kind",
      "demos:\n  - kind: tokenise\n    prompt: Hi\n",
      "demos.0.kind",
      "kind must be one of compare, nexttoken, template",
    ],
    [
      "a blind three-way demo",
      "demos:\n  - kind: compare\n    prompt: Hi\n    mode: three-way\n    blind: true\n",
      "demos.0.blind",
      "a blind vote compares two replies",
    ],
    [
      "a source that is not https",
      "sources:\n  - title: Old\n    url: http://example.org/page\n",
      "sources.0.url",
      "must be a full https:// address",
    ],
  ])("GIVEN %s THEN the lesson is reported at that field and skipped", async (_, extra, field, message) => {
    const library = await loadLesson(extra);
    expect(library.getLesson("demo")).toBeUndefined();
    expect(library.problems[0]).toEqual(
      expect.objectContaining({ file: "t/demo.yaml", field, message: expect.stringContaining(message) }),
    );
    expect(library.problems).toHaveLength(2); // and the track, left with no lesson, is left out
  });

  it("GIVEN requires naming no lesson THEN the entry is left out with a warning", async () => {
    const library = await loadLesson("requires:\n  - demo-typo\n");
    expect(library.getLesson("demo")?.requires).toEqual([]);
    expect(library.warnings).toContainEqual({
      file: "t/demo.yaml",
      field: "requires",
      message: 'requires "demo-typo", but no lesson has that id',
    });
  });

  it("GIVEN two lessons asking the very same question THEN the later one gets a warning naming both", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "lm-tutor-content-"));
    dirs.push(dir);
    await mkdir(path.join(dir, "t"), { recursive: true });
    await writeFile(path.join(dir, "t", "track.yaml"), trackYaml("t"));
    await writeFile(path.join(dir, "t", "a.yaml"), lessonYaml("first", 1));
    await writeFile(path.join(dir, "t", "b.yaml"), lessonYaml("second", 2));
    const library = await loadContent(dir);
    expect(library.warnings).toContainEqual({
      file: "t/b.yaml",
      field: "quiz",
      message: "question second/q-one asks exactly what first/q-one asks; reword one of them",
    });
  });

  it("GIVEN a quiz whose right answers are the longest THEN the lesson loads with a warning at its quiz", async () => {
    const quiz = ["one", "two", "three", "four"]
      .map(
        (n, index) => `  - id: q-${n}
    question: Question ${n}?
    choices:
      - text: Wrong
        explanation: Because it is wrong.
      - text: The right answer to question ${n}
        correct: ${index < 3}
        explanation: Because it is right or wrong.
      - text: Also wrong
        correct: ${index === 3}
        explanation: Because.
`,
      )
      .join("");
    const library = await loadLesson("", quiz);
    expect(library.problems).toEqual([]);
    expect(library.getLesson("demo")).toBeDefined();
    expect(library.warnings).toEqual([
      expect.objectContaining({
        file: "t/demo.yaml",
        field: "quiz",
        message: expect.stringContaining("the longest in 3 of 4"),
      }),
      expect.objectContaining({ message: expect.stringContaining("choice B in 3 of 4") }),
    ]);
  });
});

describe("the bundled course", () => {
  it("GIVEN content/ THEN at least 5 tracks and 30 lessons load with no problem and no warning, and length gives nothing away", async () => {
    const library = await loadContent(BUNDLED_CONTENT);
    expect(library.problems).toEqual([]);
    expect(library.warnings).toEqual([]);
    expect(library.tracks.length).toBeGreaterThanOrEqual(5);
    expect(library.allLessons().length).toBeGreaterThanOrEqual(30);
    const questions = library.allQuestions();
    const longest = questions.filter((question) => rightIsLongest(question)).length;
    expect(longest / questions.length).toBeLessThanOrEqual(0.4);
    for (const lesson of library.allLessons()) {
      expect(lesson.questions.length, lesson.id).toBeGreaterThanOrEqual(5);
      expect(lesson.sources.length, lesson.id).toBeGreaterThan(0);
      expect(lesson.demos.length, lesson.id).toBeGreaterThan(0);
    }
  });
});
