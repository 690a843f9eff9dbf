import { execFileSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

/*
 * `npm run engine:build` on a bare CI machine. The real compile takes 12 minutes, so `cmake` here
 * is a stand-in that records its arguments and writes the binary; everything else (git cloning
 * node-llama-cpp's bundle, the cache layout, the shell) is real. PATH holds only the tools the
 * script may rely on: no `nproc`, as on a minimal image, and a HOME without any git identity.
 */

const script = join(import.meta.dirname, "../../scripts/buildEngine.sh");
const bundle = join(import.meta.dirname, "../../node_modules/node-llama-cpp/llama/gitRelease.bundle");
const skip = existsSync(bundle) ? "" : " [skipped: node-llama-cpp's gitRelease.bundle is not installed]";

const fakeCmake = `#!/bin/bash
echo "$*" >> "$CMAKE_LOG"
if [[ $1 == --build ]]; then
  mkdir -p "$2/bin" && printf '#!/bin/sh\\n' > "$2/bin/llama-server" && /bin/chmod +x "$2/bin/llama-server"
fi
`;

let root: string;

afterEach(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function bareMachine(): { cache: string; log: string; path: string } {
  root = mkdtempSync(join(tmpdir(), "engine-build-"));
  const bin = join(root, "bin");
  mkdirSync(bin);
  for (const tool of ["bash", "git", "awk", "mkdir", "rm", "mv", "dirname", "getconf"]) {
    for (const dir of ["/usr/bin", "/bin"]) {
      if (existsSync(join(dir, tool))) {
        symlinkSync(join(dir, tool), join(bin, tool));
        break;
      }
    }
  }
  writeFileSync(join(bin, "cmake"), fakeCmake);
  chmodSync(join(bin, "cmake"), 0o755);
  return { cache: join(root, "cache"), log: join(root, "cmake.log"), path: bin };
}

describe(`scripts/buildEngine.sh${skip}`, () => {
  it.skipIf(skip)(
    "GIVEN no nproc and the half-built folder of an interrupted run THEN it builds afresh with a job count and prints the binary",
    () => {
      const machine = bareMachine();
      const commit = execFileSync("git", ["bundle", "list-heads", bundle], { encoding: "utf8" }).slice(0, 12);
      const partial = join(machine.cache, "llama-server", `${commit}.partial`);
      mkdirSync(join(partial, "src"), { recursive: true });
      writeFileSync(join(partial, "src", "half-written.o"), "");

      const output = execFileSync("bash", [script], {
        encoding: "utf8",
        env: { PATH: machine.path, HOME: root, LM_TUTOR_CACHE: machine.cache, CMAKE_LOG: machine.log },
        stdio: ["ignore", "pipe", "pipe"],
      });

      const binary = join(machine.cache, "llama-server", commit, "build", "bin", "llama-server");
      expect(output.trim().split("\n").at(-1)).toBe(binary);
      expect(existsSync(binary)).toBe(true);
      expect(existsSync(partial)).toBe(false);
      const build = readFileSync(machine.log, "utf8")
        .split("\n")
        .find((line) => line.startsWith("--build"));
      expect(build).toMatch(/ -j [1-9]\d*$/);
    },
  );
});
