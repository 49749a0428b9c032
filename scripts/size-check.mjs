#!/usr/bin/env node
// Bundle-size budget: what a user ships for the book's loop. The README's 30-second example (the
// chapter-5 training loop: `tensor` from @x/tensor, `import "@x/autograd"`, `SGD` from @x/optim)
// is bundled the way users bundle it: esbuild, from the packages' dist ESM (resolved through their
// `exports`, `sideEffects` honoured), tree-shaken, minified, platform browser, then gzip level 9.
// Fails over budget. The "everything exported" size of each package is printed too, for
// information only (no budget). Writes nothing to disk.
// Usage: node scripts/size-check.mjs [--analyze]   (needs a build: `pnpm build`; `pnpm size` builds)
//   --analyze  also lists the largest source files of the book-loop bundle (built from src/)
import { existsSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { libraryPackages, main, ROOT, requireBuilt } from "./lib/workspace.mjs";

// Measured on what users ship: the book's loop keeps every Tensor method (and with them every op
// and its backward rule), but drops what it does not use (Adam and the other optimizers, the
// schedulers, gradcheck). The "everything exported" sizes are larger and carry no budget: nobody
// ships every export. The budget is a ledger: 25 KB after the op-layer redesign, then one line per
// deliberate raise, naming what users got for the bytes (Tensor methods cannot be tree-shaken, so
// every new method costs every user).
const BUDGET_LEDGER = [
  ["the op-layer redesign's target (24.96 KB measured)", 25 * 1024],
  ["Node's inspect hook: console.log(t) prints the tensor's text", 256],
  ["print options, and printed digits rounded half to even on the exact value as Python", 384],
  ["logic ops (logical, bitwise, any/all, isnan…, isclose, equal) and integer scalars", 1792],
  [
    "masks and scatter: maskedFill(_), maskedSelect, scatter/scatterAdd/scatterReduce(_), indexAdd(_), take, oneHot",
    3520,
  ],
  ["autograd records in-place writes into views (CopySlices; 908 B measured)", 960],
  [
    "pointwise math: tan … erfc (erf ported from s_erf.c), atan2 … lerp, div's rounding modes",
    4288,
  ],
  [
    "shape ops: flip roll repeat repeatInterleave tril triu diag diagonal unfold unflatten movedim swapaxes meshgrid (3256 B measured)",
    3264,
  ],
  ["x.size() prints as torch.Size; small float32 arithmetic's direct path (169 B measured)", 192],
  ["Python indexing: x.index(...items), slice, indexPut_/indexPut, nonzero", 4096],
  ["x[mask] = v through the bit-select masked fill, and the glue of the merged ops (386 B)", 448],
  [
    "x[mask] = v reads four mask bytes per word, x[mask] compacts in one pass (W7 1.4-1.8× PyTorch; 186 B)",
    256,
  ],
  [
    "sorting: sort argsort msort topk kthvalue median, torch's introsort/heap/quickselect ported (3246 B measured)",
    3264,
  ],
  ["scans and einsum: cumsum … logcumsumexp, diff, einsum (1744 B over the budget measured)", 1792],
  [
    "softmax, logSoftmax, softmin, logsumexp, and their WebAssembly SIMD kernel (softmax.wat, 2744 B; 3442 B measured)",
    3456,
  ],
  [
    "activations: gelu … hardtanh, leakyRelu_/elu_/hardtanh_ (bundle 2883 B over the previous budget)",
    2944,
  ],
  [
    "random streams as PyTorch's CPU generator: mt19937, its transformations (AVX2 Box–Muller), uniform_ normal_ bernoulli(_) (3578 B measured)",
    3584,
  ],
  [
    "convolutions and pooling: the convolution, maxPool and avgPool specs with im2col and window kernels, registered for autograd (3125 B measured)",
    3136,
  ],
  [
    "CNN speed: direct WebAssembly SIMD conv, weight-gradient, relu and 2x2 max-pool kernels (conv.wat, 2322 B), convolutionWeight and maxPoolBackward ops (~3968 B measured)",
    4032,
  ],
  [
    "compile seam: a tracer may take a launch over (Tracer.replace, launchInPlace), outermost launches only, offerBuffer (168 B measured)",
    192,
  ],
  [
    "sorting speed: 11-bit radix for every sort with the values taken from the sorted keys, topk's heap reading keys as it goes (646 B measured)",
    704,
  ],
  [
    "CNN step speed: 4-row conv tiles, interleaved weight-gradient tiles, padding and the 2x2 pool gradient in wasm (conv.wat 4072 B), the bias gradient summed on the way, side-by-side sums, narrow matmuls as bᵀ·aᵀ (1557 B measured)",
    1600,
  ],
  [
    "compile replays max pooling: its positions as an op of their own, seen by a tracer (68 B measured)",
    96,
  ],
];
/** Gzipped budget of the book-loop bundle, in bytes: the sum of the ledger. */
export const BUDGET_BYTES = BUDGET_LEDGER.reduce((sum, [, bytes]) => sum + bytes, 0);
/** The packages the book's loop imports; each one's "everything exported" size is printed too. */
const MEASURED = ["@x/tensor", "@x/autograd", "@x/optim"];
/** Entry points outside the book's loop whose "everything exported" size is printed (no budget). */
const ALSO_PRINTED = ["@x/nn", "@x/nn/functional", "@x/compile"];
const README = join(ROOT, "README.md");

/**
 * The README's 30-second example (the first ```ts block under "## 30-second example"), so the
 * budget measures exactly the loop users copy. Throws when it is missing or stops importing one
 * of MEASURED, so the label of the bundle stays true.
 */
export function bookLoop() {
  const text = readFileSync(README, "utf8");
  const section = text.split(/^## /m).find((s) => s.startsWith("30-second example"));
  const code = section?.match(/```ts\n([\s\S]*?)```/)?.[1];
  if (code === undefined) {
    throw new Error(
      `size-check: no \`\`\`ts block under "## 30-second example" in ${relative(ROOT, README)}. Hint: the budget bundles that example; restore it or point bookLoop() in scripts/size-check.mjs at its new place.`,
    );
  }
  const missing = MEASURED.filter((name) => !code.includes(`"${name}"`));
  if (missing.length > 0) {
    throw new Error(
      `size-check: the README's 30-second example no longer imports ${missing.join(", ")}. Hint: update MEASURED in scripts/size-check.mjs to what the example imports.`,
    );
  }
  return code;
}

/**
 * Resolves @x/<name>[/<subpath>] as a user's bundler does, through the package's `exports` (so
 * `sideEffects` and the shared chunks of a code-split dist count), but from packages/<name> in
 * this checkout (a self-reference), not from some installed copy. With `from: "src"`, the
 * build adds the `@x/source` condition, so the same bundle comes from the TypeScript sources.
 */
function resolvePlugin() {
  return {
    name: "x-packages",
    setup(b) {
      b.onResolve({ filter: /^@x\/[a-z-]+(\/[a-z-]+)*$/ }, async ({ path, kind, pluginData }) => {
        if (pluginData === "x-self") return undefined;
        const dir = join(ROOT, "packages", path.split("/")[1]);
        if (!existsSync(join(dir, "package.json"))) {
          return { errors: [{ text: `${path}: no package at ${relative(ROOT, dir)}` }] };
        }
        return b.resolve(path, { kind, resolveDir: dir, pluginData: "x-self" });
      });
    },
  };
}

/**
 * Bundles `contents` (an ES module importing @x packages) and returns the raw and gzipped byte
 * sizes, and the minified bytes each input file contributes (`parts`, largest first).
 */
async function measure(contents, from = "dist") {
  const result = await build({
    stdin: { contents, resolveDir: ROOT, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: from === "src" ? ["@x/source"] : [],
    absWorkingDir: ROOT, // metafile paths are relative to it
    write: false,
    logLevel: "silent",
    metafile: true,
    plugins: [resolvePlugin()],
  });
  const code = result.outputFiles[0]?.contents ?? new Uint8Array();
  const output = Object.values(result.metafile.outputs)[0];
  const parts = Object.entries(output?.inputs ?? {})
    .map(([file, { bytesInOutput }]) => [file, bytesInOutput])
    .filter(([file, bytes]) => file !== "entry.ts" && bytes > 0)
    .sort((a, b) => b[1] - a[1]);
  const inputs = Object.keys(result.metafile.inputs);
  return { raw: code.byteLength, gzip: gzipSync(code, { level: 9 }).byteLength, parts, inputs };
}

/** An entry that keeps every export of `names` (the "everything exported" size). */
const everything = (names) =>
  names.map((n, i) => `export * as m${i} from ${JSON.stringify(n)};`).join("\n");

const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
const row = (label, size) =>
  console.log(`${label.padEnd(66)} ${kb(size.raw).padStart(10)} ${kb(size.gzip).padStart(10)}`);

/** Prints the sizes; throws when the book-loop bundle is over budget. */
export async function sizeCheck() {
  const printed = [...MEASURED, ...ALSO_PRINTED].map((entry) =>
    entry.split("/").slice(0, 2).join("/"),
  );
  requireBuilt(libraryPackages().filter((p) => printed.includes(p.name)));
  const loop = bookLoop();
  const label = `book loop (README 30-second example: ${MEASURED.map((n) => n.slice(3)).join(" + ")})`;

  console.log(
    `${"bundle (esbuild, minified, tree-shaken, browser, ESM)".padEnd(66)}   minified    gzip -9`,
  );
  const book = await measure(loop);
  row(label, book);
  const stray = book.inputs.filter((f) => /(^|\/)(src|node_modules)\//.test(f));
  if (stray.length > 0) {
    throw new Error(
      `size-check: the book-loop bundle did not come from dist/ only: ${stray.join(", ")}. Hint: check the "exports" of the @x packages.`,
    );
  }
  console.log("\neverything exported (information, no budget)");
  for (const name of MEASURED) row(`${name} (export *)`, await measure(everything([name])));
  row(`${MEASURED.join(" + ")} (export *)`, await measure(everything(MEASURED)));
  for (const name of ALSO_PRINTED) row(`${name} (export *)`, await measure(everything([name])));

  const over = book.gzip - BUDGET_BYTES;
  if (over > 0 || process.argv.includes("--analyze")) {
    // The dist files are bundles (and shared chunks), so the breakdown comes from bundling the
    // same loop from the sources.
    const fromSource = await measure(loop, "src");
    console.log(
      `\nlargest source files of the book-loop bundle (built from src: ${kb(fromSource.gzip)} gzip; minified bytes before gzip):`,
    );
    for (const [file, bytes] of fromSource.parts.slice(0, 15)) {
      console.log(`${kb(bytes).padStart(10)}  ${file}`);
    }
  }
  if (over > 0) {
    throw new Error(
      `size-check: the book-loop bundle (README's 30-second example: ${MEASURED.join(" + ")}, from dist, minified, gzip -9) is ${kb(book.gzip)}, ${kb(over)} (${over} bytes) over its ${kb(BUDGET_BYTES)} budget. Hint: the largest source files are listed above (\`node scripts/size-check.mjs --analyze\` lists them any time); shrink those, or raise BUDGET_BYTES in scripts/size-check.mjs on purpose.`,
    );
  }
  console.log(
    `\nsize-check: ok, the book-loop bundle is ${kb(book.gzip)} gzip of a ${kb(BUDGET_BYTES)} budget (${kb(-over)} to spare)`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) main(sizeCheck);
