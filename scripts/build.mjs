/** `npm run build` (and so `npm start`): compiles src/ and commands/ into dist/ (see compileProject.mjs). */
import { compileProject } from "./compileProject.mjs";

const problems = compileProject();
if (problems !== "") {
  process.stderr.write(problems);
  process.exitCode = 1;
}
