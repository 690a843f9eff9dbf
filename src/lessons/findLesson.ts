import { UserError } from "../errors.ts";
import { truncate } from "../text/truncate.ts";
import type { ContentLibrary, Lesson } from "./content.ts";

/** A lesson offered to a member who is typing its name. */
export interface LessonSuggestion {
  id: string;
  /** `Track › Lesson title`, at most 100 characters (Discord's autocomplete limit). */
  label: string;
}

/**
 * Finds a lesson by id or title, ignoring case; a part of a title or id that matches only one
 * lesson is enough. Throws a {@link UserError} naming the closest lessons otherwise.
 */
export function findLesson(content: ContentLibrary, query: string): Lesson {
  const wanted = normalize(query);
  const lessons = content.allLessons();
  const exact = lessons.find((lesson) => lesson.id === wanted || normalize(lesson.title) === wanted);
  if (exact) return exact;
  const partial = lessons.filter((lesson) => matchesPartly(lesson, wanted));
  if (partial.length === 1 && partial[0]) return partial[0];
  const near = rankByCloseness(lessons, wanted).slice(0, 3);
  const hint = near.length > 0 ? ` Did you mean ${near.map((lesson) => `\`${lesson.id}\``).join(", ")}?` : "";
  throw new UserError(`There is no lesson called “${query.trim()}”.${hint} Run /lesson to see them all.`);
}

/** Up to `limit` lessons for autocomplete: those matching `query`, closest first; all when empty. */
export function suggestLessons(content: ContentLibrary, query: string, limit = 25): LessonSuggestion[] {
  const wanted = normalize(query);
  const lessons = content.allLessons();
  const matches = wanted === "" ? lessons : lessons.filter((lesson) => matchesPartly(lesson, wanted));
  const trackTitles = new Map(content.tracks.map((track) => [track.id, track.title]));
  return matches.slice(0, limit).map((lesson) => ({
    id: lesson.id,
    label: truncate(`${trackTitles.get(lesson.trackId) ?? lesson.trackId} › ${lesson.title}`, 100),
  }));
}

function normalize(text: string): string {
  return text.trim().toLowerCase();
}

function matchesPartly(lesson: Lesson, wanted: string): boolean {
  return lesson.id.includes(wanted) || normalize(lesson.title).includes(wanted);
}

function rankByCloseness(lessons: Lesson[], wanted: string): Lesson[] {
  const scored = lessons.map((lesson) => ({
    lesson,
    distance: Math.min(editDistance(lesson.id, wanted), editDistance(normalize(lesson.title), wanted)),
  }));
  // Beyond half the query's length a "suggestion" is noise, not a near match.
  const threshold = Math.max(2, Math.ceil(wanted.length / 2));
  return scored
    .filter((entry) => entry.distance <= threshold)
    .sort((a, b) => a.distance - b.distance)
    .map((entry) => entry.lesson);
}

/** Levenshtein distance between two strings. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
