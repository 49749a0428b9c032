// Shared helpers for the repo scripts: where the packages are, how to run a command, temp dirs.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Absolute path of the repository root. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The pnpm version the whole repo is pinned to (see TOOLCHAIN.md). */
export const PNPM_VERSION = "12.4.2";

/**
 * Reads an environment variable. These scripts are not turbo tasks, so Biome's turbo.json env
 * rule (noUndeclaredEnvVars) does not apply to them; they read variables through this one place.
 * @param {string} name @returns {string | undefined}
 */
export function envVar(name) {
  return process.env[name];
}

/** Reads a JSON file. */
export function readJson(path) {
  return JSON.parse(readFileSync(path, "utf8"));
}

/**
 * The publishable library packages under packages/*, in dependency order as listed.
 * @param {string} [root] a copy of the repo instead of this one
 * @returns {{ name: string, short: string, dir: string, manifest: any }[]}
 */
export function libraryPackages(root = ROOT) {
  const order = ["tensor", "autograd", "nn", "optim", "data", "train"];
  const dirs = readdirSync(join(root, "packages"))
    .filter((d) => existsSync(join(root, "packages", d, "package.json")))
    .sort((a, b) => rank(a) - rank(b));
  return dirs
    .map((short) => {
      const dir = join(root, "packages", short);
      const manifest = readJson(join(dir, "package.json"));
      return { name: manifest.name, short, dir, manifest };
    })
    .filter((p) => !p.manifest.private);

  function rank(d) {
    const i = order.indexOf(d);
    return i === -1 ? order.length : i;
  }
}

/** The manifest of apps/<dir>, or null while that app does not exist yet. */
export function appManifest(dir, root = ROOT) {
  const path = join(root, "apps", dir, "package.json");
  return existsSync(path) ? readJson(path) : null;
}

/** The apps (apps/cli, apps/docs) that exist and are not private: changesets publishes them too. */
export function publicApps(root = ROOT) {
  return ["cli", "docs"].filter((app) => {
    const manifest = appManifest(app, root);
    return manifest !== null && manifest.private !== true;
  });
}

/**
 * Runs a command, streaming its output; throws when it exits non-zero.
 * @param {string} cmd @param {string[]} args
 * @param {{ cwd?: string, env?: NodeJS.ProcessEnv, capture?: boolean, input?: string }} [opts]
 * @returns {string} stdout when `capture` is set, otherwise ""
 */
export function run(cmd, args, opts = {}) {
  const result = spawnSync(cmd, args, {
    cwd: opts.cwd ?? ROOT,
    env: opts.env ?? process.env,
    stdio: opts.capture ? ["pipe", "pipe", "inherit"] : "inherit",
    input: opts.input,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    const where = opts.cwd && opts.cwd !== ROOT ? ` (in ${opts.cwd})` : "";
    const out = opts.capture && result.stdout ? `\n${result.stdout.slice(-4000)}` : "";
    throw new Error(`\`${[cmd, ...args].join(" ")}\` exited with ${result.status}${where}${out}`);
  }
  return opts.capture ? result.stdout : "";
}

/**
 * Runs the pinned pnpm. Inside a `pnpm run` script the running pnpm is reused (no npx start-up);
 * otherwise it goes through `npx -y pnpm@12.4.2`.
 */
export function pnpm(args, opts = {}) {
  const execPath = envVar("npm_execpath");
  const agent = envVar("npm_config_user_agent") ?? "";
  if (execPath && agent.startsWith(`pnpm/${PNPM_VERSION} `)) return run(execPath, args, opts);
  return run("npx", ["-y", `pnpm@${PNPM_VERSION}`, ...args], opts);
}

/** A binary from the root node_modules/.bin. */
export function bin(name) {
  return join(ROOT, "node_modules", ".bin", name);
}

/**
 * The environment without the npm_* / pnpm_* variables a `pnpm run` exports. A child `npm install`
 * would otherwise inherit e.g. npm_config_local_prefix and install into the workspace.
 */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(npm|pnpm)_/i.test(key) && key !== "PNPM_SCRIPT_SRC_DIR") env[key] = value;
  }
  return { ...env, ...extra };
}

/**
 * Creates a temp dir outside the repo, passes it to `fn`, removes it afterwards
 * (kept when X_KEEP_TMP=1, for debugging).
 * @template T @param {string} prefix @param {(dir: string) => Promise<T> | T} fn @returns {Promise<T>}
 */
export async function withTempDir(prefix, fn) {
  const dir = mkdtempSync(join(tmpdir(), `x-${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    if (envVar("X_KEEP_TMP") === "1") console.log(`(kept ${dir})`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Fails with a message when a library package has no dist/ (the scripts check built output). */
export function requireBuilt(packages) {
  const missing = packages.filter((p) => !existsSync(join(p.dir, "dist")));
  if (missing.length > 0) {
    throw new Error(
      `no dist/ in ${missing.map((p) => p.name).join(", ")}. Hint: run \`npx -y pnpm@${PNPM_VERSION} build\` first.`,
    );
  }
}

/** Prints a timed section header and returns a function that prints the elapsed time. */
export function section(label) {
  const start = performance.now();
  console.log(`\n── ${label}`);
  return () => console.log(`   ${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
}

/** Runs `main`, turning a thrown error into a one-line message and exit code 1. */
export function main(fn) {
  Promise.resolve()
    .then(fn)
    .catch((error) => {
      console.error(`\n✗ ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}

/**
 * `pnpm pack`s the library packages (and apps/<app> for each name in `apps`, when it exists) into
 * `dest`, with `workspace:*` dependencies rewritten to real versions, exactly as they would be
 * published. Returns a map from package name to tarball path.
 * @param {string} dest @param {{ apps?: string[], root?: string }} [opts]
 * @returns {Map<string, string>}
 */
export function packPackages(dest, { apps = [], root = ROOT } = {}) {
  const packages = libraryPackages(root);
  const filters = packages.map((p) => `--filter=${p.name}`);
  for (const app of apps) {
    const manifest = appManifest(app, root);
    if (manifest) filters.push(`--filter=${manifest.name}`);
  }
  pnpm(["-r", ...filters, "pack", "--pack-destination", dest], {
    cwd: root,
    env: root === ROOT ? process.env : cleanEnv(),
    capture: true,
  });
  const tarballs = new Map();
  const files = readdirSync(dest).filter((f) => f.endsWith(".tgz"));
  for (const name of filters.map((f) => f.slice("--filter=".length))) {
    const stem = `${name.replace(/^@/, "").replace("/", "-")}-`;
    const file = files.find((f) => f.startsWith(stem) && /^\d/.test(f.slice(stem.length)));
    if (!file) throw new Error(`pnpm pack wrote no tarball for ${name} into ${dest}`);
    tarballs.set(name, join(dest, file));
  }
  return tarballs;
}
