import type { Choice, ContentLibrary, Lesson, Question, Track } from "../../src/lessons/content.ts";

/** Builds a ContentLibrary from tracks, as the loader would after validating YAML. */
export function createContentLibrary(tracks: Track[]): ContentLibrary {
  const sorted = [...tracks].sort((a, b) => a.order - b.order);
  const lessons = sorted.flatMap((track) => [...track.lessons].sort((a, b) => a.order - b.order));
  const questions = lessons.flatMap((lesson) => lesson.questions);
  return {
    tracks: sorted,
    problems: [],
    warnings: [],
    getLesson: (id) => lessons.find((lesson) => lesson.id === id),
    getQuestion: (id) => questions.find((question) => question.id === id),
    allLessons: () => lessons,
    allQuestions: () => questions,
  };
}

/** A question whose first choice is correct; explanations name the choice so tests can find them. */
export function makeQuestion(lessonId: string, localId: string, choiceCount = 4): Question {
  const choices: Choice[] = Array.from({ length: choiceCount }, (_, index) => ({
    text: index === 0 ? `Right answer to ${localId}` : `Wrong answer ${index} to ${localId}`,
    correct: index === 0,
    explanation: index === 0 ? `Why ${localId} is right.` : `Why wrong ${index} of ${localId} is wrong.`,
  }));
  return { id: `${lessonId}/${localId}`, lessonId, prompt: `Question ${localId} of ${lessonId}?`, choices };
}

export function makeLesson(
  trackId: string,
  id: string,
  title: string,
  order: number,
  counts: { snippets?: number; questions?: number } = {},
): Lesson {
  const snippetCount = counts.snippets ?? 3;
  const questionCount = counts.questions ?? 4;
  return {
    id,
    trackId,
    title,
    summary: `What ${title} is about.`,
    order,
    demos: [],
    requires: [],
    sources: [],
    snippets: Array.from({ length: snippetCount }, (_, index) => ({
      title: `${title} part ${index + 1}`,
      body: `Body of ${title} part ${index + 1}.`,
    })),
    questions: Array.from({ length: questionCount }, (_, index) => makeQuestion(id, `q${index + 1}`)),
    sourceFile: `${trackId}/${id}.yaml`,
  };
}

/**
 * Two tracks, three lessons, 14 questions:
 * - foundations: `tokens` (3 snippets, 4 questions), `base-models` (5 snippets, 6 questions)
 * - sampling: `temperature` (3 snippets, 4 questions)
 */
export function sampleContent(): ContentLibrary {
  return createContentLibrary([
    {
      id: "foundations",
      title: "Foundations",
      description: "How a language model sees text.",
      order: 1,
      lessons: [
        makeLesson("foundations", "tokens", "Tokens", 1),
        makeLesson("foundations", "base-models", "Base models", 2, { snippets: 5, questions: 6 }),
      ],
    },
    {
      id: "sampling",
      title: "Sampling",
      description: "How the next token is picked.",
      order: 2,
      lessons: [makeLesson("sampling", "temperature", "Temperature", 1)],
    },
  ]);
}
