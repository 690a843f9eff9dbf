import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, renameSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** GGUFs with SmolLM2-135M's exact tensor shapes and random weights: memory as the real pair, gibberish text. */
export interface ShapedModels {
  base: string;
  instruct: string;
  /** How they were found or made, for the report. */
  note: string;
}

export interface LocateShapedModelsOptions {
  /** The folder of the shared test models, which holds `make-shaped-gguf.py`. */
  sharedModelsDir: string;
  /** `BENCH_PYTHON`: a Python with the `gguf` and `numpy` packages. Default: the cache's own virtual environment. */
  python?: string;
}

const SHAPE = "smollm2-135m";

/** `LM_TUTOR_CACHE`, else `$XDG_CACHE_HOME/lm-tutor`, else `~/.cache/lm-tutor` (as scripts/buildEngine.sh). */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.LM_TUTOR_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "lm-tutor");
}

function canImportGguf(python: string): boolean {
  try {
    execFileSync(python, ["-c", "import gguf, numpy"], { stdio: "ignore", timeout: 60_000 });
    return true;
  } catch {
    return false;
  }
}

/** A Python that can run the script: the given one, else a virtual environment in the cache, made if need be. */
function findPython(cache: string, given: string | undefined): string {
  if (given !== undefined) {
    if (!canImportGguf(given)) throw new Error(`BENCH_PYTHON=${given} cannot import gguf and numpy`);
    return given;
  }
  const venv = join(cache, "gguf-venv");
  const python = join(venv, "bin", "python");
  if (existsSync(python) && canImportGguf(python)) return python;
  try {
    execFileSync("python3", ["-m", "venv", venv], { stdio: "ignore", timeout: 120_000 });
    execFileSync(python, ["-m", "pip", "install", "--quiet", "gguf", "numpy"], {
      stdio: "ignore",
      timeout: 600_000,
    });
  } catch (error) {
    throw new Error(
      `could not make a Python virtual environment with gguf and numpy in ${venv} (${(error as Error).message.split("\n")[0]}); ` +
        `make one (python3 -m venv ${venv} && ${python} -m pip install gguf numpy) or set BENCH_PYTHON`,
    );
  }
  if (!canImportGguf(python)) throw new Error(`${python} still cannot import gguf and numpy`);
  return python;
}

/**
 * The shaped pair in `<cache>/shaped-models`, built there by `make-shaped-gguf.py` (as the shared
 * models' README says) when absent. Throws an error whose message says why they cannot be made.
 */
export function locateShapedModels(options: LocateShapedModelsOptions): ShapedModels {
  const cache = cacheRoot();
  const folder = join(cache, "shaped-models");
  const paths = {
    base: join(folder, `${SHAPE}-base.gguf`),
    instruct: join(folder, `${SHAPE}-instruct.gguf`),
  };
  if (existsSync(paths.base) && existsSync(paths.instruct)) {
    return { ...paths, note: `random-weight GGUFs with ${SHAPE}'s shapes, cached in ${folder}` };
  }
  const script = join(options.sharedModelsDir, "make-shaped-gguf.py");
  if (!existsSync(script)) throw new Error(`${script} is not there (set BENCH_MODELS_DIR)`);
  const python = findPython(cache, options.python);
  mkdirSync(folder, { recursive: true });
  for (const kind of ["base", "instruct"] as const) {
    const partial = `${paths[kind]}.partial`;
    execFileSync(python, [script, "--shape", SHAPE, "--kind", kind, partial], {
      stdio: "ignore",
      timeout: 300_000,
    });
    renameSync(partial, paths[kind]);
  }
  return { ...paths, note: `random-weight GGUFs with ${SHAPE}'s shapes, built now into ${folder}` };
}
