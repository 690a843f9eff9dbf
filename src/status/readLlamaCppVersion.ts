import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

/**
 * The llama.cpp release node-llama-cpp ships and node-llama-cpp's own version, as
 * `llama.cpp v0.5.0 (node-llama-cpp 3.22.1)`; undefined when the package files cannot be read.
 */
export function readLlamaCppVersion(): string | undefined {
  try {
    const entry = createRequire(import.meta.url).resolve("node-llama-cpp");
    let root = dirname(entry);
    while (!readable(join(root, "package.json")) && dirname(root) !== root) root = dirname(root);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string };
    const info = JSON.parse(readFileSync(join(root, "llama", "llama.cpp.info.json"), "utf8")) as {
      tag?: string;
    };
    return `llama.cpp ${info.tag ?? "?"} (node-llama-cpp ${pkg.version ?? "?"})`;
  } catch {
    return undefined;
  }
}

function readable(path: string): boolean {
  try {
    readFileSync(path);
    return true;
  } catch {
    return false;
  }
}
