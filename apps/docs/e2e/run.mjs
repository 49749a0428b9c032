// End-to-end check of the built docs site in a real browser (Debian's Chromium via playwright-core).
// Serves .vitepress/dist on 127.0.0.1, opens every page at desktop and phone width, fails on any
// console error, page error or failed request, checks that each interactive demo reacts to its
// controls, and saves screenshots to e2e/screenshots/. Ends with "e2e: N passed, N failed".
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { demoChecks } from "./demos.mjs";
import { settle, TIMEOUT, trackRequests, waitForLiveContent } from "./helpers.mjs";
import { expectNoPositionalChartReferences, expectReadableChartText } from "./layout.mjs";
import { liveTrainingChecks } from "./live-training.mjs";
import { searchChecks } from "./search.mjs";
import { serve } from "./serve.mjs";
import { stateChecks } from "./state.mjs";

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const distDir = join(docsDir, ".vitepress/dist");
const shotsDir = join(docsDir, "e2e/screenshots");
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 375, height: 812 };

/** Every page of the build, as URL paths ("/", "/guide/tensor.html", ...). */
function listPages(dir) {
  const pages = [];
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith(".html") || entry.name === "404.html") continue;
    const path = `/${relative(dir, join(entry.parentPath, entry.name)).split("\\").join("/")}`;
    pages.push(path.endsWith("/index.html") ? path.slice(0, -"index.html".length) : path);
  }
  return pages.sort();
}

const results = [];
async function check(name, fn) {
  const start = performance.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${Math.round(performance.now() - start)} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(
      `  FAIL ${name}\n       ${String(error?.message ?? error)
        .split("\n")
        .join("\n       ")}`,
    );
  }
}

const shotName = (path, kind) =>
  `${(path.replace(/\.html$/, "").replace(/^\/|\/$/g, "") || "home").replaceAll("/", "-")}.${kind}.png`;

const started = performance.now();
const pages = listPages(distDir);
if (pages.length === 0) {
  console.error(`e2e: no pages in ${distDir}; run \`pnpm --filter @x/docs build\` first.`);
  process.exit(1);
}
rmSync(shotsDir, { recursive: true, force: true });
mkdirSync(shotsDir, { recursive: true });

const server = await serve(distDir);
const profile = mkdtempSync(join(tmpdir(), "x-docs-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  headless: true,
  viewport: DESKTOP,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});
console.log(
  `e2e: ${pages.length} pages at ${server.url}, browser up in ${Math.round(performance.now() - started)} ms`,
);

try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(TIMEOUT);
  const idle = trackRequests(page);
  let problems = [];
  page.on("console", (msg) => {
    if (msg.type() === "error" || msg.type() === "warning") {
      problems.push(`console.${msg.type()}: ${msg.text()} (${msg.location().url})`);
    }
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("requestfailed", (req) => {
    // A link prefetch (VitePress prefetches the pages linked from the current one) that the
    // next navigation cancels is not a failure; anything else that fails is.
    const cancelledPrefetch =
      req.failure()?.errorText === "net::ERR_ABORTED" &&
      req.headers()["sec-purpose"] === "prefetch";
    if (!cancelledPrefetch)
      problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`);
  });
  page.on("response", (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  const assertClean = (what) => {
    const found = problems;
    problems = [];
    if (found.length) throw new Error(`${what}:\n${found.join("\n")}`);
  };

  for (const path of pages) {
    const isApi = path.startsWith("/api/");
    let loaded = false;
    await check(`page ${path} loads with live content and no errors`, async () => {
      await page.setViewportSize(DESKTOP);
      await page.goto(server.url + path, { waitUntil: "load" });
      // No CSS transitions: screenshots right after the phone-width resize show the final layout.
      await page.addStyleTag({
        content: "*, *::before, *::after { transition: none !important; }",
      });
      await waitForLiveContent(page);
      await page.screenshot({ path: join(shotsDir, shotName(path, "desktop")), fullPage: !isApi });
      assertClean(path);
      loaded = true;
    });
    if (!loaded) continue;
    // The same page at phone width (the layout and the charts follow the resize).
    await check(`page ${path} fits a 375 px phone screen`, async () => {
      await page.setViewportSize(PHONE);
      await settle(page);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      if (overflow > 1) throw new Error(`the page is ${overflow}px wider than the 375px screen`);
      await page.screenshot({ path: join(shotsDir, shotName(path, "phone")), fullPage: !isApi });
      assertClean(path);
    });
    if (await page.$(".plot-figure")) {
      await check(`page ${path}: no chart is called "right" when the charts are stacked`, () =>
        expectNoPositionalChartReferences(page),
      );
      await check(`page ${path}: chart text (axes, ticks, legends) is at least 12 px`, () =>
        expectReadableChartText(page),
      );
    }
    await page.setViewportSize(DESKTOP);
    await settle(page);
    const checks = { ...demoChecks[path], ...stateChecks[path], ...liveTrainingChecks[path] };
    for (const [name, fn] of Object.entries(checks)) {
      await check(`${path}: ${name}`, async () => {
        await fn(page, {
          shot: (label) => join(shotsDir, shotName(path, label)),
          base: server.url,
        });
        await idle();
        assertClean(`${path}: ${name}`);
      });
    }
  }
  // The search box, once, from the guide's start page.
  await page.setViewportSize(DESKTOP);
  await page.goto(`${server.url}/guide/`, { waitUntil: "load" });
  for (const [name, fn] of Object.entries(searchChecks)) {
    await check(`search: ${name}`, async () => {
      await fn(page);
      assertClean(`search: ${name}`);
    });
  }
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
console.log(
  `e2e: screenshots in ${relative(process.cwd(), shotsDir) || "."}, ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
