import path from "node:path";
import type { ContentProblem } from "./content.ts";

/**
 * One log line in the `file:line field: message` shape editors and terminals link to, e.g.
 * `content/foundations/bad.yaml:12 quiz.2.choices: exactly one choice must be marked correct (found 2)`.
 * @param contentDir Folder the problem's `file` is relative to; prefixed when given. Default: none.
 */
export function formatContentProblem(problem: ContentProblem, contentDir?: string): string {
  const file = contentDir === undefined ? problem.file : path.join(contentDir, problem.file);
  const location = problem.line === undefined ? file : `${file}:${problem.line}`;
  const field = problem.field === undefined ? "" : ` ${problem.field}`;
  return `${location}${field}: ${problem.message}`;
}
