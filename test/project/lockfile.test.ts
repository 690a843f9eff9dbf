import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface LockEntry {
  name?: string;
  version?: string;
  optionalDependencies?: Record<string, string>;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  [field: string]: unknown;
}

const lock = JSON.parse(readFileSync(new URL("../../package-lock.json", import.meta.url), "utf8")) as {
  packages: Record<string, LockEntry>;
};
/**
 * Registry metadata (`npm view`) of every platform package, written by `npm run lock:complete`.
 * A committed copy, so this test needs no network; `null` marks a version never published.
 */
const registry = JSON.parse(
  readFileSync(new URL("./platformPackages.json", import.meta.url), "utf8"),
) as Record<string, Record<string, unknown> | null>;
/** The fields npm copies from a platform package's metadata into its lockfile entry. */
const copiedFields = ["os", "cpu", "libc", "integrity", "license", "engines", "bin", "hasInstallScript"];

const platformEntries = Object.entries(lock.packages).filter(
  ([key, entry]) => key !== "" && (entry.os || entry.cpu || entry.libc),
);

describe("package-lock.json", () => {
  it("GIVEN every optional dependency THEN the lockfile has an entry for it, so npm ci accepts the lockfile", () => {
    // Node's lookup: the package's own node_modules, then each parent's, up to the top.
    const resolves = (from: string, name: string): boolean => {
      for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf("/node_modules/")))) {
        if (lock.packages[`${base ? `${base}/` : ""}node_modules/${name}`]) return true;
        if (base === "") return false;
      }
    };
    const missing = Object.entries(lock.packages).flatMap(([key, entry]) =>
      Object.keys(entry.optionalDependencies ?? {}).filter((name) => !resolves(key, name)),
    );
    expect(missing, "run npm run lock:complete").toEqual([]);
  });

  it("GIVEN every platform entry THEN os, cpu, libc, integrity, license, engines and bin are the registry's own", () => {
    expect(platformEntries.length).toBeGreaterThan(0);
    const wrong = platformEntries.flatMap(([key, entry]) => {
      const id = `${entry.name ?? key.split("node_modules/").at(-1)}@${entry.version}`;
      const published = registry[id];
      if (published === undefined)
        return [`${key}: no registry metadata for ${id} (run npm run lock:complete)`];
      if (published === null) return [];
      return copiedFields
        .filter((field) => JSON.stringify(entry[field]) !== JSON.stringify(published[field]))
        .map(
          (field) =>
            `${key}: ${field} is ${JSON.stringify(entry[field])}, the registry says ${JSON.stringify(published[field])}`,
        );
    });
    expect(wrong, "run npm run lock:complete").toEqual([]);
  });

  it("GIVEN a platform package that was never published THEN only the ones known to be missing are skipped", () => {
    const unpublished = platformEntries
      .map(([key, entry]) => `${entry.name ?? key.split("node_modules/").at(-1)}@${entry.version}`)
      .filter((id) => registry[id] === null);
    // The registry this project's lockfile was completed against lacks these node-llama-cpp builds;
    // their entries keep the os/cpu that node-llama-cpp's own package names state.
    expect(unpublished.every((id) => id.startsWith("@node-llama-cpp/"))).toBe(true);
  });
});
