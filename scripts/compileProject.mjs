/**
 * Compiles the bot to plain JavaScript, with migrations/ copied beside it (the database code
 * finds them relative to itself); `npm run build` (scripts/build.mjs) and the bench use it.
 *
 * The bot runs compiled because tsx's loader costs about 50 MB of resident memory for as long as
 * the process lives (its hooks run in a thread with a JavaScript heap of its own, and the main
 * heap holds 7 MB more). Types are not checked here (`npm run typecheck` does that), so a start is quick.
 */
import { cpSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Compiles `tsconfig.build.json`'s files, or `entries` and what they import, into `outDir`
 * (default `dist/`), replacing what was there; returns the problems found, as text ("" if none).
 */
export function compileProject({ outDir, entries } = {}) {
  const configFile = join(root, "tsconfig.build.json");
  const config = ts.getParsedCommandLineOfConfigFile(configFile, outDir === undefined ? {} : { outDir }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n"));
    },
  });
  if (config === undefined) throw new Error(`cannot read ${configFile}`);
  const target = config.options.outDir ?? join(root, "dist");
  rmSync(target, { recursive: true, force: true });
  const program = ts.createProgram(entries ?? config.fileNames, config.options);
  const emitted = program.emit();
  const problems = [...config.errors, ...program.getSyntacticDiagnostics(), ...emitted.diagnostics];
  cpSync(join(root, "migrations"), join(target, "migrations"), { recursive: true });
  return ts.formatDiagnostics(problems, {
    getCanonicalFileName: (name) => name,
    getCurrentDirectory: () => root,
    getNewLine: () => "\n",
  });
}
