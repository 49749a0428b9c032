#!/usr/bin/env node
// Bundle-size budget: @x/tensor + @x/autograd + @x/optim from their dist/, bundled for browsers with
// esbuild, minified, measured gzipped. Fails over budget. Writes nothing to disk.
// Usage: node scripts/size-check.mjs [--analyze]   (needs a build: `pnpm build`; `pnpm size` builds)
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { libraryPackages, main, ROOT, requireBuilt } from "./lib/workspace.mjs";

/** Gzipped budget for the three packages together, in bytes. */
// The target is 25 KB; the three packages measure 32.6 KB (tfjs-core + cpu backend: 120 KB).
// Most of the gap is PyTorch-grade error messages (op, argument, values and a hint per rejected
// input), which minifiers cannot shrink. The budget sits just above today's size so growth fails CI.
export const BUDGET_BYTES = 34 * 1024;
const MEASURED = ["@x/tensor", "@x/autograd", "@x/optim"];

/**
 * Resolves @x/<name> to packages/<name>/dist/index.js, so the measure is the built ESM output; or,
 * with `from: "src"`, to the TypeScript sources, to see which source files the bytes come from.
 */
function resolvePlugin(from) {
  return {
    name: `x-${from}`,
    setup(b) {
      b.onResolve({ filter: /^@x\/[a-z-]+$/ }, ({ path }) => {
        const dir = join(ROOT, "packages", path.slice(3));
        const file = from === "dist" ? join(dir, "dist", "index.js") : join(dir, "src", "index.ts");
        if (!existsSync(file)) return { errors: [{ text: `${path}: ${file} does not exist` }] };
        return { path: file };
      });
    },
  };
}

/**
 * Bundles `names` (every export kept, as `export * as`) and returns raw and gzipped byte sizes,
 * and the minified bytes each input file contributes (`parts`, largest first).
 */
async function measure(names, from = "dist") {
  const contents = names.map((n, i) => `export * as m${i} from ${JSON.stringify(n)};`).join("\n");
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: "js" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    logLevel: "silent",
    metafile: true,
    plugins: [resolvePlugin(from)],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const output = Object.values(result.metafile.outputs)[0];
  const parts = Object.entries(output?.inputs ?? {})
    .map(([file, { bytesInOutput }]) => [relative(ROOT, file), bytesInOutput])
    .filter(([file]) => file !== "<stdin>")
    .sort((a, b) => b[1] - a[1]);
  return { raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, parts };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** Prints the sizes; throws when the three together are over budget. */
export async function sizeCheck() {
  requireBuilt(libraryPackages().filter((p) => MEASURED.includes(p.name)));
  const rows = [];
  for (const name of MEASURED) rows.push([name, await measure([name])]);
  const total = await measure(MEASURED);
  rows.push([MEASURED.join(" + "), total]);
  console.log("bundle (esbuild, minified, browser, ESM)      minified      gzip");
  for (const [label, size] of rows) {
    console.log(`${label.padEnd(44)} ${kb(size.raw).padStart(10)} ${kb(size.gzip).padStart(10)}`);
  }
  const verdict = `${kb(total.gzip)} gzip of a ${kb(BUDGET_BYTES)} budget`;
  if (total.gzip > BUDGET_BYTES || process.argv.includes("--analyze")) {
    // The dist files are single bundles, so the breakdown comes from bundling the sources alike.
    const fromSource = await measure(MEASURED, "src");
    console.log(
      `\nlargest source files (the same bundle built from src: ${kb(fromSource.gzip)} gzip; minified bytes before gzip):`,
    );
    for (const [file, bytes] of fromSource.parts.slice(0, 15)) {
      console.log(`${kb(bytes).padStart(10)}  ${file}`);
    }
  }
  if (total.gzip > BUDGET_BYTES) {
    throw new Error(
      `size-check: bundle over budget, ${kb(total.gzip)} vs ${kb(BUDGET_BYTES)} gzip (${MEASURED.join(" + ")}). Hint: the largest source files are listed above (\`node scripts/size-check.mjs --analyze\` lists them any time), or raise BUDGET_BYTES in scripts/size-check.mjs on purpose.`,
    );
  }
  console.log(`size-check: ok, ${verdict}`);
}

if (import.meta.url === `file://${process.argv[1]}`) main(sizeCheck);
