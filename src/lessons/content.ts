/** A group of lessons, one folder under CONTENT_DIR. */
export interface Track {
  id: string;
  title: string;
  description: string;
  /** Sort key among tracks (ascending). */
  order: number;
  /** Lessons in reading order. */
  lessons: Lesson[];
}

export interface Lesson {
  /** Stable, URL-safe id (`base-models`); used in commands, buttons and the database. */
  id: string;
  trackId: string;
  title: string;
  /** One or two sentences shown in lists. */
  summary: string;
  /** Sort key inside the track (ascending). */
  order: number;
  /** 3 to 8 snippets, each fitting one embed. */
  snippets: Snippet[];
  /** At least 4 questions. */
  questions: Question[];
  /** Live demos the bot runs from the lesson ("Try it" buttons) and in a class; at least one. */
  demos: LessonDemo[];
  /** Further reading: where the lesson's facts can be checked. */
  sources: LessonSource[];
  /** Lessons worth reading first (a suggestion shown on the lesson, never enforced). */
  requires: string[];
  /** File the lesson came from, relative to CONTENT_DIR. */
  sourceFile: string;
}

/** A live demo of a lesson's point, run by one of the bot's model commands. */
export type LessonDemo =
  | {
      kind: "compare";
      prompt: string;
      /** `three-way` adds the instruct model fed the raw text. Default side-by-side. */
      mode: "side-by-side" | "three-way";
      /** Posted as Reply A / Reply B with a vote on which is the base model. */
      blind: boolean;
    }
  | { kind: "nexttoken"; prompt: string }
  | { kind: "template"; message: string }
  | { kind: "tokenize"; text: string };

export interface LessonSource {
  title: string;
  /** An `https://` address. */
  url: string;
}

export interface Snippet {
  title: string;
  /** Markdown body, at most 3,000 characters. */
  body: string;
}

export interface Question {
  /** Globally unique and stable: `${lessonId}/${localId}`. Review cards are keyed by it. */
  id: string;
  lessonId: string;
  prompt: string;
  /** 2 to 5 choices, exactly one correct. */
  choices: Choice[];
}

export interface Choice {
  text: string;
  correct: boolean;
  /** Why this choice is right or wrong; shown after the member picks it. */
  explanation: string;
}

/** A problem found while loading content; the file is skipped, the rest loads. */
export interface ContentProblem {
  /** Path relative to CONTENT_DIR. */
  file: string;
  line?: number;
  /** Dotted path of the offending field, e.g. `questions.2.choices`. */
  field?: string;
  message: string;
}

/** Everything loaded from CONTENT_DIR, read-only after start. */
export interface ContentLibrary {
  tracks: Track[];
  problems: ContentProblem[];
  /**
   * Lessons that loaded but should be improved, such as a quiz whose right answers give
   * themselves away by length or position. `npm run content:check` fails on them.
   */
  warnings: ContentProblem[];
  getLesson(id: string): Lesson | undefined;
  getQuestion(id: string): Question | undefined;
  /** All lessons in track order, then lesson order. */
  allLessons(): Lesson[];
  allQuestions(): Question[];
}
