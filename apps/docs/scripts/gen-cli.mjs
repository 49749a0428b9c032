// Captures the x CLI's --help texts and a real `x fit` run for the CLI guide, at docs build time.
// The CLI (apps/cli) is bundled from its TypeScript sources with esbuild (through the "@x/source"
// condition, like the rest of the docs), run with Node, and its output written to
// generated/cli/*.txt (git-ignored), which guide/cli.md includes. So the page never drifts from
// the CLI; if the CLI is missing, the texts say so and the build still succeeds.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { build } from "esbuild";

const run = promisify(execFile);

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const cliEntry = resolve(docsDir, "../cli/src/cli.ts");
const outDir = join(docsDir, "generated/cli");
const work = mkdtempSync(join(tmpdir(), "x-docs-cli-"));
const bundle = join(work, "x.mjs");

/** What each generated file holds: the `x` arguments whose stdout it captures. */
const captures = {
  "fit-run": [
    "fit",
    "--epochs",
    "3000",
    "--val-fraction",
    "0.2",
    "--seed",
    "1",
    "--save",
    join(work, "model.safetensors"),
  ],
  help: ["--help"],
  "fit-help": ["fit", "--help"],
  "evaluate-help": ["evaluate", "--help"],
  "predict-help": ["predict", "--help"],
  "inspect-help": ["inspect", "--help"],
  "inspect-run": ["inspect", join(work, "model.safetensors")],
  "predict-run": ["predict", join(work, "model.safetensors"), "35.7", "81.9"],
};

function writeAtomically(path, text) {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}

const started = performance.now();
mkdirSync(outDir, { recursive: true });
try {
  if (!existsSync(cliEntry)) throw new Error(`${cliEntry} does not exist`);
  await build({
    entryPoints: [cliEntry],
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@x/source"],
    outfile: bundle,
    logLevel: "error",
    // CommonJS dependencies (commander, cli-progress) call require() for Node built-ins.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
    },
  });
  // The runs that read the checkpoint need the first fit to have written it.
  const [first, ...rest] = Object.entries(captures);
  const capture = async ([name, args]) => {
    const { stdout } = await run(process.execPath, [bundle, ...args], {
      cwd: work,
      env: { ...process.env, NO_COLOR: "1", COLUMNS: "88", CI: "" },
      encoding: "utf8",
    });
    // Show paths as a reader would type them: relative to the working directory.
    writeAtomically(
      join(outDir, `${name}.txt`),
      `${stdout.replaceAll(`${work}/`, "").trimEnd()}\n`,
    );
  };
  await capture(first);
  await Promise.all(rest.map(capture));
  console.log(
    `gen-cli: ${Object.keys(captures).length} outputs → generated/cli/ in ${Math.round(performance.now() - started)} ms`,
  );
} catch (error) {
  // The docs must still build while the CLI is being written; the page shows why it is empty.
  const reason = `(The x CLI could not be run when these docs were built: ${String(error?.message ?? error).split("\n")[0]})\n`;
  for (const name of Object.keys(captures)) writeAtomically(join(outDir, `${name}.txt`), reason);
  console.warn(`gen-cli: ${reason.trim()}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
