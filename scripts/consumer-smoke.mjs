#!/usr/bin/env node
// Consumer smoke test: use the packages the way a user does, from the published tarballs.
//  1. `pnpm pack` every library package (and @x/cli once apps/cli exists) into a temp dir;
//  2. `npm install` the tarballs with plain npm into a scratch project outside the workspace;
//  3. (a) ESM and (b) CJS scripts train the book's thermometer model with @x/train and check w, b, loss,
//         then build the chapter-6 model with @x/nn (printing, a few steps with @x/nn/functional),
//         and run the book's step compiled with @x/compile (the same bits as eager)
//         (each loads every package the same way, so they are the plain-ESM and plain-CJS checks);
//     (c) dual package: a fresh Node process imports @x/tensor (ESM) beside a require of @x/autograd
//         (CJS), takes one gradient step, and accepts x.grad = [2, 4] or the TWO_COPIES TensorError
//         naming both copies (the ESM .js and the CJS .cjs file of @x/tensor's dist);
//     (d) an esbuild browser bundle of @x/tensor + @x/autograd computes the book's first gradient in
//         headless Chromium;
//     (e) `npx x fit` runs the installed CLI (only once apps/cli exists).
// Usage: node scripts/consumer-smoke.mjs   (needs a build: `pnpm build`)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import {
  appManifest,
  cleanEnv,
  envVar,
  libraryPackages,
  main,
  packPackages,
  ROOT,
  requireBuilt,
  run,
  section,
  withTempDir,
} from "./lib/workspace.mjs";

// The book's chapter-5 data and PyTorch 1.13 float32 results (shared/reference/book-ch5.json).
const BOOK = {
  tU: [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4],
  tC: [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0],
  // autograd_sgd_normalized_x0.1_lr1e-2_5000_epochs
  trained: { w: 5.367084503173828, b: -17.301193237304688, loss: 2.9276468753814697 },
  // initial_loss_w1_b0 and first_grad_w1_b0
  firstStep: { loss: 1763.8846435546875, grad: [4517.296875, 82.5999984741211] },
};
/** Relative tolerance for float32 results, as book-ch5.json recommends. */
const RTOL = 1e-5;
const CHROMIUM = envVar("X_CHROMIUM") ?? "/usr/bin/chromium";
// Flags from TOOLCHAIN.md (headless Debian Chromium as root, no network chatter).
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Source of a check helper shared by the generated scripts (runs in Node and in the page). */
const CHECK_SOURCE = `
function close(label, actual, expected, rtol) {
  if (typeof actual !== "number" || !(Math.abs(actual - expected) <= rtol * Math.abs(expected))) {
    throw new Error(label + ": expected " + expected + " (rtol " + rtol + "), got " + actual);
  }
}`;

/**
 * The @x/nn part of (a) and (b): the book's chapter-6 model prints as torch prints it, takes a few
 * SGD steps on the thermometer data through @x/nn/functional's loss, and its loss goes down.
 */
const NN_CHECK = `
const model = new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
const printed = String(model);
if (!printed.startsWith("Sequential(\\n  (0): Linear(in_features=1, out_features=13, bias=True)")) {
  throw new Error("@x/nn: the model printed " + JSON.stringify(printed));
}
const nnOptimizer = new SGD(model.parameters(), { lr: 1e-3 });
const x = tU.unsqueeze(1);
const y = tC.unsqueeze(1);
const losses = [];
for (let step = 0; step < 20; step++) {
  const loss = nnMseLoss(model.forward(x), y);
  nnOptimizer.zeroGrad();
  loss.backward();
  nnOptimizer.step();
  losses.push(loss.item());
}
if (!(losses[19] < losses[0])) throw new Error("@x/nn: the loss did not go down: " + losses);
console.log("nn: " + Object.keys(model.stateDict()).join(" ") + ", loss " + losses[0].toFixed(2) + " -> " + losses[19].toFixed(2));
`;

/** The @x/compile part of (a) and (b): the book's step compiled and eager leave the same bits. */
const COMPILE_CHECK = `
function bookStep(compiled) {
  const p = tensor([1.0, 0.0], { requiresGrad: true });
  const opt = new SGD([p], { lr: 1e-2 });
  const body = (x, y) => {
    opt.zeroGrad();
    const [w, b] = p.unbind();
    const loss = w.mul(x).add(b).sub(y).pow(2).mean();
    loss.backward();
    opt.step();
    return loss;
  };
  const step = compiled ? compile(body) : body;
  let loss;
  for (let i = 0; i < 100; i++) loss = step(tU, tC);
  return JSON.stringify([p.toArray(), p.grad.toArray(), loss.item()]);
}
const eagerBits = bookStep(false);
const compiledBits = bookStep(true);
if (compiledBits !== eagerBits) throw new Error("@x/compile: compiled " + compiledBits + " vs eager " + eagerBits);
console.log("compile: 100 compiled steps leave " + compiledBits + ", as eager");
`;

/**
 * The training script for (a) and (b): only the way it loads the packages differs. Each loads all
 * of them the same way (plain ESM, plain CJS), so these are also the one-copy training checks.
 */
function trainingScript(format) {
  const load =
    format === "esm"
      ? `import { tensor } from "@x/tensor";
import "@x/autograd";
import { SGD } from "@x/optim";
import { fit, mseLoss } from "@x/train";
import { Linear, Sequential, Tanh } from "@x/nn";
import { mseLoss as nnMseLoss } from "@x/nn/functional";
import { compile } from "@x/compile";
const entry = import.meta.resolve("@x/train");`
      : `const { tensor } = require("@x/tensor");
require("@x/autograd");
const { SGD } = require("@x/optim");
const { fit, mseLoss } = require("@x/train");
const { Linear, Sequential, Tanh } = require("@x/nn");
const { mseLoss: nnMseLoss } = require("@x/nn/functional");
const { compile } = require("@x/compile");
const entry = require.resolve("@x/train");`;
  const ext = format === "esm" ? ".js" : ".cjs";
  return `${load}
${CHECK_SOURCE}
if (!entry.endsWith("/dist/index${ext}")) throw new Error("${format}: @x/train resolved to " + entry);

const tU = tensor(${JSON.stringify(BOOK.tU)}).mul(0.1); // the book's t_un = 0.1 * t_u
const tC = tensor(${JSON.stringify(BOOK.tC)});
const params = tensor([1.0, 0.0], { requiresGrad: true });
const optimizer = new SGD([params], { lr: 1e-2 });
const start = Date.now();
const history = fit({
  params: [params],
  model: (x) => {
    const [w, b] = params.unbind();
    return x.mul(w).add(b);
  },
  lossFn: mseLoss,
  optimizer,
  train: { x: tU, y: tC },
  epochs: 5000,
});
const ms = Date.now() - start;
const [w, b] = params.toArray();
const last = history.records[history.records.length - 1];
if (history.records.length !== 5000) throw new Error("expected 5000 records, got " + history.records.length);
close("w", w, ${BOOK.trained.w}, ${RTOL});
close("b", b, ${BOOK.trained.b}, ${RTOL});
close("loss at epoch 5000", last.trainLoss, ${BOOK.trained.loss}, ${RTOL});
console.log("${format}: w=" + w + " b=" + b + " loss=" + last.trainLoss + " (" + ms + " ms, " + entry.split("/node_modules/")[1] + ")");
${NN_CHECK}
${COMPILE_CHECK}`;
}

/**
 * The script for (c): @x/tensor through ESM `import`, @x/autograd through CJS `require`, so Node loads
 * both builds of @x/tensor (dist/*.js and dist/*.cjs), and autograd installs into the CJS one. The
 * step may work (one copy shared) or throw TWO_COPIES naming both copies; anything else fails.
 * Prints one line starting with "dual: outcome".
 */
const DUAL_SCRIPT = String.raw`import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { TensorError, tensor } from "@x/tensor";

const require = createRequire(import.meta.url);
require("@x/autograd");

// Prove the two formats really met: ESM entry .js, CJS entries .cjs, same dist folder.
const esmEntry = fileURLToPath(import.meta.resolve("@x/tensor"));
const cjsEntry = require.resolve("@x/tensor");
const autogradEntry = require.resolve("@x/autograd");
const dist = dirname(cjsEntry);
const setup = [];
if (!esmEntry.endsWith("/dist/index.js")) setup.push("import of @x/tensor resolved to " + esmEntry);
if (!cjsEntry.endsWith("/dist/index.cjs")) setup.push("require of @x/tensor resolved to " + cjsEntry);
if (!autogradEntry.endsWith("/dist/index.cjs")) setup.push("require of @x/autograd resolved to " + autogradEntry);
if (dirname(esmEntry) !== dist) setup.push("the ESM and CJS entries of @x/tensor are in different folders");
if (setup.length > 0) throw new Error("dual: the set-up is not ESM @x/tensor + CJS @x/autograd: " + setup.join("; "));

const x = tensor([1, 2], { requiresGrad: true });
let error;
try {
  x.mul(x).sum().backward();
} catch (caught) {
  error = caught;
}
const nodeModules = dirname(dirname(dirname(dist))); // prints names as "@x/tensor/dist/<file>"
const short = (file) => file.slice(nodeModules.length + 1);
if (error === undefined) {
  const grad = x.grad == null ? null : x.grad.toArray();
  if (JSON.stringify(grad) !== "[2,4]") {
    throw new Error("dual: x.mul(x).sum().backward() did not throw, but x.grad is " + JSON.stringify(grad) + " instead of [2, 4]");
  }
  console.log("dual: outcome 1 of 2, it trained: x.grad = [2, 4] (one copy of @x/tensor shared by import and require)");
} else {
  const message = error instanceof Error ? error.message : String(error);
  // The files of @x/tensor's dist that the message names (a file:// URL for the ESM copy).
  const named = (message.match(/[^\s()]+\.c?js\b/g) ?? [])
    .filter((token) => token.includes(dist + "/"))
    .map((token) => token.slice(token.indexOf(dist)));
  const problems = [];
  if (!TensorError.isInstance(error)) problems.push("it is not a TensorError (" + (error && error.name) + ")");
  if (!error || error.code !== "TWO_COPIES") problems.push("its code is " + JSON.stringify(error && error.code) + ", not TWO_COPIES");
  if (!message.includes("two copies of @x/tensor")) problems.push("its message does not say 'two copies of @x/tensor'");
  if (!named.some((f) => f.endsWith(".js"))) problems.push("its message names no .js (ESM) file of " + dist);
  if (!named.some((f) => f.endsWith(".cjs"))) problems.push("its message names no .cjs (CJS) file of " + dist);
  if (problems.length > 0) {
    throw new Error("dual: x.mul(x).sum().backward() threw, but " + problems.join("; ") + ".\n" + (error && error.stack ? error.stack : message));
  }
  console.log("dual: outcome 2 of 2, TensorError TWO_COPIES naming " + named.map(short).join(" and "));
  console.log("dual: message: " + message);
}
`;

/** The page script for (d): the book's first loss and gradient with params = [1, 0] on raw t_u. */
const BROWSER_ENTRY = `import { tensor } from "@x/tensor";
import "@x/autograd";
${CHECK_SOURCE}
try {
  const tU = tensor(${JSON.stringify(BOOK.tU)});
  const tC = tensor(${JSON.stringify(BOOK.tC)});
  const params = tensor([1.0, 0.0], { requiresGrad: true });
  const [w, b] = params.unbind();
  const loss = tU.mul(w).add(b).sub(tC).pow(2).mean();
  loss.backward();
  const [gw, gb] = params.grad.toArray();
  close("loss", loss.item(), ${BOOK.firstStep.loss}, ${RTOL});
  close("dloss/dw", gw, ${BOOK.firstStep.grad[0]}, ${RTOL});
  close("dloss/db", gb, ${BOOK.firstStep.grad[1]}, ${RTOL});
  window.__xResult = { ok: true, text: "loss=" + loss.item() + " grad=[" + gw + ", " + gb + "]" };
} catch (error) {
  window.__xResult = { ok: false, text: String(error && error.stack || error) };
}
`;

/** Writes the scratch project's package.json: every tarball as a file: dependency. */
function writeConsumerManifest(dir, tarballs) {
  const deps = Object.fromEntries([...tarballs].map(([name, file]) => [name, `file:${file}`]));
  const manifest = {
    name: "x-consumer-smoke",
    version: "0.0.0",
    private: true,
    description: "Scratch project of scripts/consumer-smoke.mjs",
    dependencies: deps,
    // Dependencies between the tarballs (e.g. @x/train -> @x/tensor@0.1.0) resolve to the
    // tarballs too, never to a registry package of the same name.
    overrides: deps,
  };
  writeFileSync(join(dir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
}

/** Runs a script in the scratch project; returns its stdout. */
function runNode(project, file) {
  const out = run(process.execPath, [file], { cwd: project, env: cleanEnv(), capture: true });
  process.stdout.write(out);
  return out;
}

/** Bundles BROWSER_ENTRY with esbuild from the scratch project's node_modules. */
async function bundleForBrowser(project) {
  const site = join(project, "site");
  mkdirSync(site, { recursive: true });
  writeFileSync(join(project, "browser.mjs"), BROWSER_ENTRY);
  const result = await build({
    entryPoints: [join(project, "browser.mjs")],
    absWorkingDir: project,
    bundle: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    outfile: join(site, "bundle.js"),
    metafile: true,
    logLevel: "warning",
  });
  const inputs = Object.keys(result.metafile.inputs).filter((f) => f.includes("node_modules/@x/"));
  const bytes = readFileSync(join(site, "bundle.js")).byteLength;
  console.log(`bundle.js: ${(bytes / 1024).toFixed(1)} KB from ${inputs.join(", ")}`);
  writeFileSync(
    join(site, "index.html"),
    '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>x smoke</title></head>' +
      '<body><script type="module" src="/bundle.js"></script></body></html>\n',
  );
  return site;
}

/** Serves `dir` on 127.0.0.1 (random port). */
async function serve(dir) {
  const types = { ".html": "text/html", ".js": "text/javascript" };
  const server = createServer((req, res) => {
    const name = req.url === "/" ? "index.html" : (req.url ?? "").slice(1).split("?")[0];
    const file = join(dir, name);
    if (!/^[\w.-]+$/.test(name) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}

/**
 * Opens `dir`'s index.html in headless Chromium and returns the page's `window.__xResult`
 * ({ ok, text }). Page errors and console errors fail the check.
 */
export async function runInChromium(dir) {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `consumer-smoke: no Chromium at ${CHROMIUM}. Hint: apt-get install -y chromium, or set X_CHROMIUM.`,
    );
  }
  const server = await serve(dir);
  const profile = mkdtempSync(join(tmpdir(), "x-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const errors = [];
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    page.on("console", (msg) => {
      if (msg.type() === "error") errors.push(`console.error: ${msg.text()}`);
    });
    page.on("response", (res) => {
      if (res.status() >= 400) errors.push(`HTTP ${res.status()} for ${res.url()}`);
    });
    await page.goto(server.url);
    await page.waitForFunction(() => window.__xResult !== undefined, undefined, {
      timeout: 30_000,
    });
    const result = await page.evaluate(() => window.__xResult);
    const version = context.browser()?.version() ?? "chromium";
    if (errors.length > 0) return { ok: false, text: errors.join("\n") };
    return { ...result, text: `${result.text} (${version})` };
  } finally {
    await context.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The bin name of the installed CLI: `x` when declared, else the first one. */
function cliBin(manifest) {
  const bins = typeof manifest.bin === "string" ? { x: manifest.bin } : (manifest.bin ?? {});
  return "x" in bins ? "x" : Object.keys(bins)[0];
}

/** The whole smoke test; throws on the first failure. */
export async function consumerSmoke() {
  const cli = appManifest("cli");
  requireBuilt([
    ...libraryPackages(),
    ...(cli ? [{ name: cli.name, dir: join(ROOT, "apps", "cli") }] : []),
  ]);
  await withTempDir("consumer", async (tmp) => {
    let done = section("pnpm pack");
    const tarballDir = join(tmp, "tarballs");
    mkdirSync(tarballDir);
    const tarballs = packPackages(tarballDir, { apps: ["cli"] });
    for (const file of tarballs.values()) console.log(`   ${file}`);
    done();

    done = section("npm install (scratch project outside the workspace)");
    const project = join(tmp, "consumer");
    mkdirSync(project);
    writeConsumerManifest(project, tarballs);
    run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
      cwd: project,
      env: cleanEnv(),
    });
    done();

    done = section("(a) ESM: train the thermometer model with @x/train");
    writeFileSync(join(project, "train.mjs"), trainingScript("esm"));
    runNode(project, "train.mjs");
    done();

    done = section("(b) CJS: train the thermometer model with @x/train");
    writeFileSync(join(project, "train.cjs"), trainingScript("cjs"));
    runNode(project, "train.cjs");
    done();

    done = section("(c) dual package: import @x/tensor (ESM) beside require @x/autograd (CJS)");
    writeFileSync(join(project, "dual.mjs"), DUAL_SCRIPT);
    const dual = runNode(project, "dual.mjs");
    if (!/^dual: outcome [12] of 2/m.test(dual)) {
      throw new Error(`dual package check printed no outcome line:\n${dual}`);
    }
    done();

    done = section("(d) browser: esbuild bundle of @x/tensor + @x/autograd in headless Chromium");
    const site = await bundleForBrowser(project);
    const page = await runInChromium(site);
    if (!page.ok) throw new Error(`browser check failed:\n${page.text}`);
    console.log(`browser: ${page.text}`);
    done();

    if (!cli) {
      console.log("\n── (e) npx x fit: skipped, apps/cli does not exist yet");
      return;
    }
    const name = cliBin(cli);
    done = section(`(e) npx ${name} fit (installed ${cli.name} tarball)`);
    if (!name) throw new Error(`${cli.name} declares no bin`);
    const out = run("npx", [name, "fit"], { cwd: project, env: cleanEnv(), capture: true });
    process.stdout.write(out);
    // The default fit is the book's run; its summary prints w and b to 4 decimals.
    const expected = [BOOK.trained.w.toFixed(4), BOOK.trained.b.toFixed(4)];
    const missing = expected.filter((v) => !out.includes(v));
    if (missing.length > 0) {
      throw new Error(`\`npx ${name} fit\` did not print ${missing.join(" and ")} (w and b)`);
    }
    done();
  });
  console.log("\nconsumer-smoke: ok");
}

if (import.meta.url === `file://${process.argv[1]}`) main(consumerSmoke);
