#!/usr/bin/env node
// publint (--strict) + attw on the exact tarball `pnpm pack` makes for each library package.
// Usage: node scripts/check-packages.mjs   (needs a build: `pnpm build`)
import { basename } from "node:path";
import {
  bin,
  libraryPackages,
  main,
  packPackages,
  requireBuilt,
  run,
  section,
  withTempDir,
} from "./lib/workspace.mjs";

const color = process.stdout.isTTY ? [] : ["--no-color"];

/** Checks every library tarball; throws naming the packages that failed. */
export async function checkPackages() {
  requireBuilt(libraryPackages());
  await withTempDir("pack", (dir) => {
    const failed = [];
    for (const [name, tarball] of packPackages(dir)) {
      const done = section(`${name}: publint + attw (${basename(tarball)})`);
      try {
        run(bin("publint"), ["run", tarball, "--strict"]);
        run(bin("attw"), [tarball, "--format", "table-flipped", "--no-emoji", ...color]);
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
