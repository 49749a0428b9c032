#!/usr/bin/env node
// Release: build, check (publint + attw), `changeset version`, `changeset publish`.
//   pnpm release             version + publish from a clean work tree on main (needs npm auth)
//   pnpm release --dry-run   everything but publishing, in a temporary copy of the repo: shows the
//                            versions and changelogs the pending changesets produce and packs the
//                            versioned tarballs; this work tree is left as it was (used in CI).
//   --skip-checks            skip publint + attw (.ci/run ran them in an earlier step)
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { checkPackages } from "./check-packages.mjs";
import {
  appManifest,
  bin,
  cleanEnv,
  libraryPackages,
  main,
  packPackages,
  pnpm,
  publicApps,
  ROOT,
  run,
  section,
  withTempDir,
} from "./lib/workspace.mjs";

/** Files changesets reads and writes: everything tracked or untracked-but-not-ignored. */
function workTreeFiles() {
  const out = run("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    capture: true,
  });
  return [...new Set(out.split("\0"))].filter((f) => f && existsSync(join(ROOT, f)));
}

/** Pending changeset files (not README.md / config.json). */
function pendingChangesets(root) {
  return readdirSync(join(root, ".changeset")).filter(
    (f) => f.endsWith(".md") && f !== "README.md",
  );
}

/** "name@version" for every library package and app under `root`. */
function versions(root) {
  const apps = ["cli", "docs"].map((a) => appManifest(a, root)).filter(Boolean);
  return new Map([
    ...libraryPackages(root).map((p) => [p.name, p.manifest.version]),
    ...apps.map((m) => [m.name, m.version]),
  ]);
}

/**
 * Copies the work tree (and the libraries' dist/) into `copy` and installs it from the pnpm store
 * (hard links, no network), so changesets and `pnpm pack` run there exactly as here.
 */
function copyWorkTree(copy) {
  for (const file of workTreeFiles()) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    cpSync(join(ROOT, file), join(copy, file));
  }
  for (const pkg of libraryPackages()) {
    cpSync(join(pkg.dir, "dist"), join(copy, relative(ROOT, pkg.dir), "dist"), { recursive: true });
  }
  pnpm(["install", "--frozen-lockfile", "--prefer-offline", "--reporter=silent"], {
    cwd: copy,
    env: cleanEnv({ CI: "true" }),
  });
}

/** Checks the versioned copy: one version for the fixed group, apps untouched. */
function reportVersions(before, after, copy) {
  const fixed = libraryPackages(copy).map((p) => p.manifest.version);
  for (const [name, version] of after) {
    const was = before.get(name);
    console.log(`   ${name.padEnd(14)} ${was === version ? version : `${was} → ${version}`}`);
  }
  if (new Set(fixed).size !== 1) {
    throw new Error(
      `release: the fixed group has different versions, ${fixed.join(", ")} (.changeset/config.json "fixed"). Hint: list all the libraries in one fixed group.`,
    );
  }
  for (const pkg of libraryPackages(copy)) {
    const changelog = join(pkg.dir, "CHANGELOG.md");
    if (before.get(pkg.name) !== pkg.manifest.version && !existsSync(changelog)) {
      throw new Error(`release: ${pkg.name} was bumped but has no CHANGELOG.md`);
    }
  }
  const first = libraryPackages(copy)[0];
  if (first && existsSync(join(first.dir, "CHANGELOG.md"))) {
    const text = readFileSync(join(first.dir, "CHANGELOG.md"), "utf8");
    console.log(`\n   ${relative(copy, first.dir)}/CHANGELOG.md (head):`);
    for (const line of text.split("\n").slice(0, 12)) console.log(`   | ${line}`);
  }
}

/** The dry run: version and pack in a temporary copy. */
async function dryRun() {
  await withTempDir("release", (tmp) => {
    const copy = join(tmp, "repo");
    let done = section(
      "copy + install the work tree in a temp dir (this checkout stays untouched)",
    );
    copyWorkTree(copy);
    done();

    const pending = pendingChangesets(copy);
    done = section(`changeset version (${pending.length} pending changeset(s))`);
    const before = versions(copy);
    run(join(copy, "node_modules", ".bin", "changeset"), ["version"], {
      cwd: copy,
      env: cleanEnv(),
    });
    reportVersions(before, versions(copy), copy);
    done();

    done = section("pack the versioned packages (what `changeset publish` would upload)");
    const packDir = join(tmp, "tarballs");
    mkdirSync(packDir);
    const version = libraryPackages(copy)[0]?.manifest.version;
    const libraries = new Set(libraryPackages(copy).map((p) => p.name));
    for (const [name, file] of packPackages(packDir, { root: copy, apps: publicApps(copy) })) {
      const manifest = JSON.parse(
        run("tar", ["-xzOf", file, "package/package.json"], { capture: true }),
      );
      const internal = Object.entries(manifest.dependencies ?? {}).filter(([dep]) =>
        dep.startsWith("@x/"),
      );
      // Libraries share the fixed group's version; a public app has its own, but must depend on
      // the libraries at exactly the version released with it.
      const wrongVersion = libraries.has(name) && manifest.version !== version;
      if (wrongVersion || internal.some(([, range]) => range !== version)) {
        const deps = internal.map(([d, r]) => `${d}@${r}`).join(", ");
        throw new Error(
          `release: ${name}'s tarball is ${manifest.version} and depends on ${deps}, expected the libraries at ${version}`,
        );
      }
      const deps = internal.map(([d, r]) => `${d}@${r}`).join(", ") || "no @x deps";
      console.log(`   would publish ${relative(packDir, file)} (${deps})`);
    }
    done();
  });
  console.log("\nrelease --dry-run: ok (nothing published, work tree unchanged)");
}

/** The real release: version, commit the bump, publish (changesets tags the commit). */
/** A real release starts from a clean work tree, so its version commit holds only the bump. */
function requireCleanTree() {
  const dirty = run("git", ["status", "--porcelain"], { capture: true }).trim();
  if (dirty) {
    throw new Error(
      `release: the work tree has uncommitted changes (${dirty.split("\n").length} path(s)). Hint: commit or stash them, or use --dry-run.`,
    );
  }
}

function release() {
  let done = section("changeset version");
  const before = versions(ROOT);
  run(bin("changeset"), ["version"]);
  const after = versions(ROOT);
  reportVersions(before, after, ROOT);
  done();
  const bumped = [...after].filter(([name, v]) => before.get(name) !== v);
  if (bumped.length > 0) {
    const paths = [
      ".changeset",
      ...libraryPackages().map((p) => relative(ROOT, p.dir)),
      ...publicApps(ROOT).map((app) => join("apps", app)),
    ];
    run("git", ["add", "--", ...paths]);
    const list = bumped.map(([n, v]) => `${n}@${v}`).join(", ");
    run("git", ["commit", "-m", `Version packages: ${list}`, "--", ...paths]);
  }
  done = section("changeset publish");
  run(bin("changeset"), ["publish"]);
  done();
  console.log("\nrelease: published. Next: git push --follow-tags");
}

main(async () => {
  const dryRunMode = process.argv.includes("--dry-run");
  if (!dryRunMode) requireCleanTree();
  // Only what is published: the docs site is not part of a release.
  const filters = ["./packages/*", ...publicApps().map((app) => `./apps/${app}`)];
  let done = section(`build (turbo: ${filters.join(" ")})`);
  pnpm([
    "exec",
    "turbo",
    "run",
    "build",
    ...filters.map((f) => `--filter=${f}`),
    "--output-logs=errors-only",
  ]);
  done();
  if (process.argv.includes("--skip-checks")) {
    console.log("\n── publint + attw: skipped (--skip-checks)");
  } else {
    done = section("publint + attw on the packed tarballs");
    await checkPackages();
    done();
  }
  if (dryRunMode) await dryRun();
  else release();
});
