import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

interface LockEntry {
  optionalDependencies?: Record<string, string>;
}

describe("package-lock.json", () => {
  it("GIVEN every optional dependency THEN the lockfile has an entry for it, so npm ci accepts the lockfile", () => {
    const lock = JSON.parse(readFileSync(new URL("../../package-lock.json", import.meta.url), "utf8")) as {
      packages: Record<string, LockEntry>;
    };
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
});
