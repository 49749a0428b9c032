#!/usr/bin/env node
// publint (--strict) + attw on the exact tarball `pnpm pack` makes for each library package, plus
// what the tarball must and must not hold (dist for ESM + CJS + types, README, LICENSE; no tests).
// A public app (apps/cli once it is not private) gets the contents check and publint.
// Usage: node scripts/check-packages.mjs   (needs a build: `pnpm build`)
import { basename, join } from "node:path";
import {
  bin,
  libraryPackages,
  main,
  packPackages,
  publicApps,
  ROOT,
  requireBuilt,
  run,
  section,
  withTempDir,
} from "./lib/workspace.mjs";

const color = process.stdout.isTTY ? [] : ["--no-color"];

const PUBLISHED_FILES = ["package.json", "README.md", "LICENSE"];
const LIBRARY_FILES = [
  ...PUBLISHED_FILES,
  "dist/index.js",
  "dist/index.cjs",
  "dist/index.d.ts",
  "dist/index.d.cts",
];
const FORBIDDEN = /(^|\/)(test|tests|__tests__|fixtures)\/|\.(test|spec|test-d)\.[cm]?[jt]sx?$/;

/** Throws when the tarball misses one of `required` or ships tests. */
function checkContents(name, tarball, required) {
  const files = run("tar", ["-tzf", tarball], { capture: true })
    .split("\n")
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ""));
  const missing = required.filter((f) => !files.includes(f));
  const tests = files.filter((f) => FORBIDDEN.test(f));
  const problems = [
    ...(missing.length > 0 ? [`misses ${missing.join(", ")}`] : []),
    ...(tests.length > 0 ? [`ships test files ${tests.slice(0, 5).join(", ")}`] : []),
  ];
  if (problems.length > 0) {
    throw new Error(
      `${name}: the tarball ${problems.join(" and ")}. Hint: fix "files" in package.json, or add the file to the package folder.`,
    );
  }
  console.log(
    `contents: ${files.length} files, all ${required.length} required ones there, no tests`,
  );
}

/** Checks every library tarball; throws naming the packages that failed. */
export async function checkPackages() {
  const libraries = libraryPackages();
  const apps = publicApps();
  requireBuilt([...libraries, ...apps.map((app) => ({ name: app, dir: join(ROOT, "apps", app) }))]);
  const isLibrary = new Set(libraries.map((p) => p.name));
  await withTempDir("pack", (dir) => {
    const failed = [];
    for (const [name, tarball] of packPackages(dir, { apps })) {
      // Public apps (a CLI) ship no types, so attw has nothing to check there.
      const library = isLibrary.has(name);
      const done = section(
        `${name}: contents + publint${library ? " + attw" : ""} (${basename(tarball)})`,
      );
      try {
        checkContents(name, tarball, library ? LIBRARY_FILES : PUBLISHED_FILES);
        run(bin("publint"), ["run", tarball, "--strict"]);
        if (library) {
          run(bin("attw"), [tarball, "--format", "table-flipped", "--no-emoji", ...color]);
        }
      } catch (error) {
        console.error(String(error instanceof Error ? error.message : error));
        failed.push(name);
      }
      done();
    }
    if (failed.length > 0) throw new Error(`package checks failed for ${failed.join(", ")}`);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) main(checkPackages);
