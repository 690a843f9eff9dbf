import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig, loadDotEnv } from "./config.ts";
import { rightIsLongest } from "./lessons/checkQuizBalance.ts";
import { formatContentProblem } from "./lessons/formatContentProblem.ts";
import { ContentDirError, loadContent } from "./lessons/loadContent.ts";

/**
 * `npm run content:check [folder]`: lists every problem and warning in a lesson pack and exits 1 if
 * there is any. The folder is a pack (tracks below it) or one track (it holds `track.yaml`), which
 * is then checked together with the other tracks beside it (lesson ids are unique across tracks).
 */
try {
  loadDotEnv();
  const given = process.argv[2] ?? loadConfig().CONTENT_DIR;
  const isTrack = ["track.yaml", "track.yml"].some((name) => existsSync(path.join(given, name)));
  const dir = isTrack ? path.dirname(path.resolve(given)) : given;
  const trackFolder = isTrack ? path.basename(path.resolve(given)) : undefined;
  const content = await loadContent(dir);
  const inScope = (file: string) => trackFolder === undefined || file.startsWith(`${trackFolder}/`);
  const problems = content.problems.filter((problem) => inScope(problem.file));
  const warnings = content.warnings.filter((warning) => inScope(warning.file));
  for (const problem of problems) console.error(formatContentProblem(problem, dir));
  for (const warning of warnings) console.error(`warning: ${formatContentProblem(warning, dir)}`);
  const lessons = content.allLessons().filter((lesson) => inScope(lesson.sourceFile));
  const questions = lessons.flatMap((lesson) => lesson.questions);
  const longest = questions.filter((question) => rightIsLongest(question)).length;
  const share = questions.length > 0 ? Math.round((longest / questions.length) * 100) : 0;
  const tracks = new Set(lessons.map((lesson) => lesson.trackId)).size;
  console.log(
    `${given}: ${tracks} track(s), ${lessons.length} lesson(s), ${questions.length} question(s) loaded; ${problems.length} problem(s), ${warnings.length} warning(s). The right choice is the longest in ${longest} of ${questions.length} questions (${share} %).`,
  );
  process.exitCode = problems.length > 0 || warnings.length > 0 ? 1 : 0;
} catch (error) {
  console.error(
    error instanceof ContentDirError ? error.message : `Content check failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
