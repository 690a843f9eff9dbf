// Adds lockfile entries for the platform-specific optional packages (other operating systems,
// CPUs and libc variants) that a registry mirror serving only this platform leaves out. Without
// them `npm ci` stops with "Missing: … from lock file". The entries carry os/cpu/libc, so npm
// skips them here and fetches them on the platforms that need them.
import { readFileSync, writeFileSync } from "node:fs";

const lockPath = new URL("../package-lock.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));

/** os / cpu / libc of a platform package, read from its name (the packages' own convention). */
function platformOf(name) {
  const leaf = name.split("/")[1] ?? name;
  const os = /win/.test(leaf)
    ? "win32"
    : /darwin|mac/.test(leaf)
      ? "darwin"
      : /android/.test(leaf)
        ? "android"
        : "linux";
  const cpu = /arm64/.test(leaf)
    ? "arm64"
    : /riscv64/.test(leaf)
      ? "riscv64"
      : /armv7l/.test(leaf)
        ? "arm"
        : "x64";
  return { os: [os], cpu: [cpu], ...(/musl/.test(leaf) ? { libc: ["musl"] } : {}) };
}

let added = 0;
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = `node_modules/${name}`;
    if (lock.packages[target]) continue;
    // Keys after `version` in alphabetical order, as npm writes them, so `npm install` keeps the file as is.
    const fields = { ...platformOf(name), ...(entry.dev ? { dev: true } : {}), optional: true };
    lock.packages[target] = {
      version,
      ...Object.fromEntries(Object.entries(fields).sort(([a], [b]) => a.localeCompare(b))),
    };
    added += 1;
    console.log(`added ${name}@${version} (optional dependency of ${key || "the project"})`);
  }
}
if (added > 0) {
  const sorted = {};
  for (const key of Object.keys(lock.packages).sort((a, b) =>
    a === "" ? -1 : b === "" ? 1 : a.localeCompare(b),
  )) {
    sorted[key] = lock.packages[key];
  }
  lock.packages = sorted;
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
}
console.log(
  added > 0 ? `package-lock.json: ${added} platform entries added` : "package-lock.json is complete",
);
