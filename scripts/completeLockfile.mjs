// Completes and corrects the lockfile entries of platform-specific optional packages (other
// operating systems, CPUs and libc variants). A registry mirror serving only this platform leaves
// them out, and without them `npm ci` stops with "Missing: … from lock file". Each entry is built
// from the registry's own metadata for that exact version (`npm view`, through npm's configured
// registry), never guessed from the package name: "darwin" contains "win", and a wrong `os` makes
// npm skip the package on the platform that needs it.
//
// It also writes test/project/platformPackages.json, the registry metadata it used, so the
// lockfile test can check every platform entry without the network.
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";

const lockPath = new URL("../package-lock.json", import.meta.url);
const metadataPath = new URL("../test/project/platformPackages.json", import.meta.url);
const lock = JSON.parse(readFileSync(lockPath, "utf8"));
const run = promisify(execFile);

/** Manifest fields npm copies into a lockfile entry, in the order npm reads them. */
const manifestKeys = [
  "version",
  "dependencies",
  "peerDependencies",
  "peerDependenciesMeta",
  "optionalDependencies",
  "bundleDependencies",
  "funding",
  "engines",
  "os",
  "cpu",
  "libc",
  "integrity",
  "license",
  "hasShrinkwrap",
  "hasInstallScript",
  "bin",
  "deprecated",
];
/** Keys npm writes first, in this order; the rest follow alphabetically, plain values before objects. */
const leadingKeys = [
  "name",
  "version",
  "lockfileVersion",
  "resolved",
  "integrity",
  "requires",
  "packages",
  "dependencies",
];

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);
/** JSON with keys sorted at every level, to compare entries whatever order their keys are in. */
const canonical = (value) =>
  JSON.stringify(value, (_key, inner) =>
    isObject(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b, "en")))
      : inner,
  );
const rank = (key) => (leadingKeys.includes(key) ? leadingKeys.indexOf(key) : leadingKeys.length);

/** Orders an entry's keys the way npm's lockfile writer does. */
function npmKeyOrder(entry) {
  const keys = Object.keys(entry).sort((a, b) => {
    if (isObject(entry[a]) !== isObject(entry[b])) return isObject(entry[a]) ? 1 : -1;
    return rank(a) - rank(b) || (rank(a) === leadingKeys.length ? a.localeCompare(b, "en") : 0);
  });
  return Object.fromEntries(keys.map((key) => [key, entry[key]]));
}

/** The metadata a lockfile entry is made of, from `npm view name@version --json`. */
async function registryMetadata(name, version) {
  let stdout;
  try {
    ({ stdout } = await run("npm", ["view", `${name}@${version}`, "--json"], {
      maxBuffer: 16 * 1024 * 1024,
    }));
  } catch (error) {
    // npm view exits 1 with an E404 body when that version was never published.
    if (String(error.stdout).includes('"E404"')) return undefined;
    throw error;
  }
  const view = JSON.parse(stdout);
  const manifest = { ...view, integrity: view.dist?.integrity, resolved: view.dist?.tarball };
  if (typeof manifest.bin === "string") manifest.bin = { [name.split("/").at(-1)]: manifest.bin };
  if (typeof manifest.license === "object" && manifest.license?.type)
    manifest.license = manifest.license.type;
  const picked = {};
  for (const key of [...manifestKeys, "resolved"]) {
    const value = manifest[key];
    if (value && (!isObject(value) || Object.keys(value).length > 0)) picked[key] = value;
  }
  return picked;
}

/** Where Node would find `name` from the package at `from`, or where npm would put it. */
function locate(from, name) {
  for (let base = from; ; base = base.slice(0, Math.max(0, base.lastIndexOf("/node_modules/")))) {
    const key = `${base ? `${base}/` : ""}node_modules/${name}`;
    if (lock.packages[key]) return key;
    if (base === "") return `node_modules/${name}`;
  }
}

// Every platform entry: each optional dependency's target, and anything already marked with os/cpu/libc.
const targets = new Map();
for (const [key, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const target = locate(key, name);
    const existing = lock.packages[target];
    if (existing && !(existing.os || existing.cpu || existing.libc)) continue;
    targets.set(target, { name, version: existing?.version ?? version, parent: entry });
  }
}
for (const [key, entry] of Object.entries(lock.packages)) {
  if (key && (entry.os || entry.cpu || entry.libc) && !targets.has(key)) {
    targets.set(key, { name: entry.name ?? key.split("node_modules/").at(-1), version: entry.version });
  }
}

const usesResolved = Object.values(lock.packages).some((entry) => typeof entry.resolved === "string");
const metadata = {};
const queue = [...targets];
let changed = 0;
async function worker() {
  for (let next = queue.shift(); next; next = queue.shift()) {
    const [key, { name, version, parent }] = next;
    const picked = await registryMetadata(name, version);
    if (!picked) {
      // A parent may list a platform build that was never published; npm cannot fetch it either,
      // so the entry (if any) is left as it is and the test names it.
      metadata[`${name}@${version}`] = null;
      console.log(`not on the registry: ${name}@${version}; ${key} left as it is`);
      continue;
    }
    const { resolved, ...recorded } = picked;
    metadata[`${name}@${picked.version}`] = recorded;
    const existing = lock.packages[key];
    const flags = existing
      ? Object.fromEntries(
          ["dev", "optional", "devOptional", "peer"]
            .filter((flag) => existing[flag])
            .map((flag) => [flag, true]),
        )
      : { ...(parent?.dev ? { dev: true } : {}), optional: true };
    const entry = npmKeyOrder({ ...recorded, ...(usesResolved && resolved ? { resolved } : {}), ...flags });
    // Equal up to key order counts as equal, so entries npm wrote itself are never rewritten.
    if (canonical(entry) !== canonical(existing)) {
      lock.packages[key] = entry;
      changed += 1;
      console.log(`${existing ? "corrected" : "added"} ${key} (${name}@${picked.version})`);
    }
  }
}
await Promise.all(Array.from({ length: 4 }, worker));

if (changed > 0) {
  const sorted = {};
  for (const key of Object.keys(lock.packages).sort((a, b) =>
    a === "" ? -1 : b === "" ? 1 : a.localeCompare(b, "en"),
  )) {
    sorted[key] = lock.packages[key];
  }
  lock.packages = sorted;
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`);
}
const sortedMetadata = Object.fromEntries(
  Object.entries(metadata).sort(([a], [b]) => a.localeCompare(b, "en")),
);
writeFileSync(metadataPath, `${JSON.stringify(sortedMetadata, null, 2)}\n`);
console.log(
  `package-lock.json: ${targets.size} platform entries checked against the registry, ${changed} written`,
);
