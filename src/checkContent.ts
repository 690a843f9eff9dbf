import { loadConfig, loadDotEnv } from "./config.ts";
import { formatContentProblem } from "./lessons/formatContentProblem.ts";
import { ContentDirError, loadContent } from "./lessons/loadContent.ts";

/** `npm run content:check [folder]`: lists every problem in a lesson pack; exits 1 if there is any. */
try {
  loadDotEnv();
  const dir = process.argv[2] ?? loadConfig().CONTENT_DIR;
  const content = await loadContent(dir);
  for (const problem of content.problems) console.error(formatContentProblem(problem, dir));
  const lessons = content.allLessons();
  const questions = content.allQuestions().length;
  console.log(
    `${dir}: ${content.tracks.length} track(s), ${lessons.length} lesson(s), ${questions} question(s) loaded; ${content.problems.length} problem(s).`,
  );
  process.exitCode = content.problems.length > 0 ? 1 : 0;
} catch (error) {
  console.error(
    error instanceof ContentDirError ? error.message : `Content check failed: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
