// Helpers the e2e checks share: locating by test id, waiting for text, for live content and for
// the query string.

export const TIMEOUT = 15_000;

export const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`).first();

/** The number a test id shows; throws if it is not one. */
export async function number(page, id) {
  const text = (await byTestId(page, id).textContent())?.trim() ?? "";
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`[data-testid=${id}] shows "${text}", not a number`);
  return value;
}

export function expectClose(actual, expected, rtol, what) {
  if (!(Math.abs(actual - expected) <= rtol * Math.abs(expected))) {
    throw new Error(`${what}: expected ≈ ${expected} (rtol ${rtol}), got ${actual}`);
  }
}

/** Polls `read()` until `predicate` holds for its result, then returns it; throws after 10 s. */
async function poll(page, read, predicate, describe) {
  const deadline = Date.now() + 10_000;
  let value = await read();
  while (!predicate(value)) {
    if (Date.now() > deadline) throw new Error(describe(value));
    await page.waitForTimeout(50);
    value = await read();
  }
  return value;
}

/** Waits until the test id's text satisfies `predicate`, then returns it. */
export function waitForText(page, id, predicate, what) {
  const locator = byTestId(page, id);
  return poll(
    page,
    async () => (await locator.textContent())?.trim() ?? "",
    predicate,
    (text) => `${what}: [data-testid=${id}] still shows "${text}"`,
  );
}

/** Waits until the page's query string has exactly `expected` among the keys with its prefixes. */
export function waitForQuery(page, expected, what) {
  const prefixes = [...new Set(Object.keys(expected).map((k) => `${k.split(".")[0]}.`))];
  const wanted = JSON.stringify(Object.entries(expected).sort());
  const read = () =>
    page.evaluate((ps) => {
      const entries = [...new URLSearchParams(location.search)].filter(([k]) =>
        ps.some((p) => k.startsWith(p)),
      );
      return JSON.stringify(entries.sort());
    }, prefixes);
  return poll(
    page,
    read,
    (actual) => actual === wanted,
    (actual) => `${what}: the query string has ${actual}, expected ${wanted}`,
  );
}

/** Checks that the page's text includes each string (outputs computed by the packages). */
export async function expectText(page, ...needles) {
  const text = (await page.locator(".VPContent").textContent()) ?? "";
  const missing = needles.filter((n) => !text.includes(n));
  if (missing.length)
    throw new Error(`the page does not show: ${missing.map((m) => JSON.stringify(m)).join(", ")}`);
}

export const demoShot = (page, selector, path) =>
  page.locator(selector).first().screenshot({ path });

/** Waits until every runnable example and demo on the page has run in the browser. */
export async function waitForLiveContent(page) {
  await page.waitForFunction(
    () =>
      [...document.querySelectorAll(".run-example")].every((el) => el.dataset.ran === "browser") &&
      [...document.querySelectorAll(".demo")].every((el) => el.dataset.ready === "true"),
    undefined,
    { timeout: TIMEOUT },
  );
  const broken = await page.$$eval(
    ".run-example[data-error], .demo[data-error], .plot-figure-wrap[data-error]",
    (els) => els.map((el) => el.textContent?.trim().slice(0, 300)),
  );
  if (broken.length)
    throw new Error(`example or demo failed in the browser:\n${broken.join("\n")}`);
}

/** Lets a resize take effect: two animation frames, then ResizeObserver-driven charts redraw. */
export async function settle(page) {
  await page.evaluate(
    () =>
      new Promise((done) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))),
      ),
  );
}

/**
 * Fails unless every learning rate the page shows (select options, presets, messages, prose) is
 * written the book's way, 1e-2, and never 0.01.
 */
export async function expectOneLrNotation(page) {
  const options = await page.$$eval('.demo select[data-testid$="lr"] option', (els) =>
    els.map((el) => el.textContent.trim()),
  );
  if (options.length === 0) throw new Error("no learning-rate select on the page");
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, not <style> contents
  const text = await page.locator(".VPContent").innerText();
  const mentions = [...text.matchAll(/\b(?:lr|learning rate)\s*=?\s*([0-9][0-9.e+-]*[0-9])/gi)].map(
    (m) => m[1],
  );
  const bad = [...options, ...mentions].filter((t) => !/^\d+(\.\d+)?e-?\d+$/.test(t));
  if (bad.length) throw new Error(`learning rates not written as 1e-2: ${bad.join(", ")}`);
}

/** Fails unless the chart holding `selector` has a text label containing `label`. */
export async function expectChartLabel(page, selector, label) {
  const texts = await page.$$eval(`${selector} svg text`, (els) => els.map((el) => el.textContent));
  if (!texts.some((t) => t.includes(label)))
    throw new Error(
      `the chart ${selector} has no label "${label}" (texts: ${texts.join(" | ").slice(0, 300)})`,
    );
}

/**
 * Counts the pixels of a screenshot of `locator` that are blue like the SGD colour (#2f6fdf,
 * also at partial opacity over the light background), decoding the PNG in the page's canvas.
 */
export async function countBluePixels(page, locator) {
  const png = (await locator.screenshot()).toString("base64");
  return page.evaluate(async (data) => {
    const img = new Image();
    img.src = `data:image/png;base64,${data}`;
    await img.decode();
    const canvas = document.createElement("canvas");
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const { data: px } = ctx.getImageData(0, 0, img.width, img.height);
    let blue = 0;
    for (let i = 0; i < px.length; i += 4) {
      const [r, g, b] = [px[i], px[i + 1], px[i + 2]];
      if (b - r > 60 && b - g > 25) blue++;
    }
    return blue;
  }, png);
}

/**
 * Counts the page's requests in flight and returns `idle()`, which waits until none has been for
 * 200 ms: after Back or Forward, VitePress fetches the page's full module (the first load used
 * the lean one), and the next check's navigation must not cancel that fetch.
 */
export function trackRequests(page) {
  let inFlight = 0;
  let lastChange = Date.now();
  const change = (delta) => {
    inFlight += delta;
    lastChange = Date.now();
  };
  page.on("request", () => change(1));
  page.on("requestfinished", () => change(-1));
  page.on("requestfailed", () => change(-1));
  return async function idle() {
    const deadline = Date.now() + 10_000;
    while (inFlight > 0 || Date.now() - lastChange < 200) {
      if (Date.now() > deadline) throw new Error(`${inFlight} requests still in flight after 10 s`);
      await page.waitForTimeout(50);
    }
  };
}
