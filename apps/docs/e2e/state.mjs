// Checks that every demo keeps its controls in the query string: a reload restores the controls
// and the same output, Back/Forward step through presets, a slider drag adds no history entries,
// and a demo leaves other keys alone. Keyed by page path, as demos.mjs.
import { byTestId, waitForLiveContent, waitForQuery, waitForText } from "./helpers.mjs";

/** A control's value (a checkbox's checked state), or "(absent)" if it is not shown. */
const controlValue = (page, id) =>
  page.evaluate((i) => {
    const el = document.querySelector(`[data-testid="${i}"]`);
    if (el === null) return "(absent)";
    return el.type === "checkbox" ? String(el.checked) : el.value;
  }, id);

/** The controls' values and the outputs' texts, to compare before and after a reload. */
async function snapshot(page, { controls, outputs }) {
  const state = {};
  for (const id of controls) state[id] = await controlValue(page, id);
  for (const id of outputs) state[id] = (await byTestId(page, id).textContent())?.trim();
  return state;
}

/** Opens `path` without a query string and waits for its demo. */
async function openClean(page, base, path) {
  await page.goto(base + path, { waitUntil: "load" });
  await waitForLiveContent(page);
}

/**
 * Sets the demo's controls, waits for the query string to hold them, reloads, and compares the
 * controls and outputs with what they were.
 */
function reloadRestores(path, demo) {
  return async (page, { base }) => {
    await openClean(page, base, path);
    const initial = await snapshot(page, demo);
    await demo.set(page);
    await waitForQuery(page, demo.query, "after setting the controls");
    const before = await snapshot(page, demo);
    const changed = demo.outputs.filter((id) => before[id] !== initial[id]);
    if (changed.length === 0) throw new Error("setting the controls changed none of the outputs");
    await page.reload({ waitUntil: "load" });
    await waitForLiveContent(page);
    const after = await snapshot(page, demo);
    const differ = Object.keys(before).filter((k) => before[k] !== after[k]);
    if (differ.length) {
      const lines = differ.map((k) => `${k}: "${before[k]}" before, "${after[k]}" after`);
      throw new Error(`the reload did not restore:\n${lines.join("\n")}`);
    }
    await waitForQuery(page, demo.query, "after the reload");
  };
}

const select = (id, value) => (page) => byTestId(page, id).selectOption(value);
const fill = (id, value) => (page) => byTestId(page, id).fill(value);
const click = (id) => (page) => byTestId(page, id).click();
const steps =
  (...fns) =>
  async (page) => {
    for (const fn of fns) await fn(page);
  };

const DEMOS = {
  "/learn/data-and-model.html": {
    set: steps(fill("w-slider", "0.25"), fill("b-slider", "-5.5")),
    query: { "line.w": "0.25", "line.b": "-5.5" },
    controls: ["w-slider", "b-slider"],
    outputs: ["w-value", "b-value", "loss"],
  },
  "/learn/loss-surface.html": {
    set: steps(select("lr", "0.003"), select("epochs", "500"), click("normalise")),
    query: { "surface.lr": "3e-3", "surface.epochs": "500", "surface.norm": "1" },
    controls: ["lr", "epochs", "normalise"],
    outputs: ["verdict"],
  },
  "/learn/finite-differences.html": {
    set: steps(
      fill("delta-slider", "-5.5"),
      select("method", "forward"),
      select("dtype", "float64"),
      select("point", "minimum"),
    ),
    query: { "fd.step": "-5.5", "fd.method": "forward", "fd.dtype": "float64", "fd.at": "minimum" },
    controls: ["delta-slider", "method", "dtype", "point"],
    outputs: ["delta", "fd-w", "fd-b", "ag-w", "ag-b", "rel-error"],
  },
  "/learn/computation-graph.html": {
    set: steps(click("backward"), click("backward")),
    query: { "graph.calls": "3" },
    controls: [],
    outputs: ["calls", "w-grad", "b-grad"],
  },
  "/learn/optimizers.html": {
    set: steps(
      select("sgd-lr", "0.001"),
      select("momentum", "0.9"),
      select("adam-lr", "0.01"),
      select("epochs", "500"),
      click("normalise"),
    ),
    query: {
      "race.sgd": "1e-3",
      "race.momentum": "0.9",
      "race.adam": "1e-2",
      "race.epochs": "500",
      "race.norm": "1",
    },
    controls: ["sgd-lr", "momentum", "adam-lr", "epochs", "normalise"],
    outputs: ["final-SGD", "final-Adam", "reached-SGD", "reached-Adam"],
  },
  "/learn/validation.html": {
    set: steps(
      select("split", "seeded"),
      fill("seed", "7"),
      select("degree", "3"),
      select("epochs", "1000"),
    ),
    query: {
      "validation.split": "seeded",
      "validation.seed": "7",
      "validation.degree": "3",
      "validation.epochs": "1000",
    },
    controls: ["split", "seed", "degree", "epochs"],
    outputs: ["train-loss", "val-loss", "best-epoch", "nograd-value"],
  },
};

/** The pressed state of each preset button of the demo, as { id: "true" | "false" }. */
const pressed = (page) =>
  page.$$eval(".demo button[aria-pressed]", (els) =>
    Object.fromEntries(els.map((el) => [el.dataset.testid, el.getAttribute("aria-pressed")])),
  );

async function expectPressed(page, id, what) {
  const state = await pressed(page);
  const on = Object.keys(state).filter((k) => state[k] === "true");
  const want = id ? [id] : [];
  if (JSON.stringify(on) !== JSON.stringify(want))
    throw new Error(`${what}: pressed presets are [${on}], expected [${want}]`);
}

const historyLength = (page) => page.evaluate(() => history.length);

export const stateChecks = Object.fromEntries(
  Object.entries(DEMOS).map(([path, demo]) => [
    path,
    {
      "a reload restores the controls from the URL and the same output": reloadRestores(path, demo),
    },
  ]),
);

Object.assign(stateChecks["/learn/loss-surface.html"], {
  "presets are history entries: Back and Forward step through them, the active one is marked":
    async (page, { base }) => {
      await openClean(page, base, "/learn/loss-surface.html");
      await expectPressed(page, "preset-crawl", "the initial state is the book's crawl");
      const start = await historyLength(page);
      await byTestId(page, "preset-normalised").click();
      await waitForText(page, "verdict", (t) => t.startsWith("Converged"), "normalised preset");
      await expectPressed(page, "preset-normalised", "after the normalised preset");
      await byTestId(page, "preset-explode").click();
      await waitForText(page, "verdict", (t) => t.startsWith("Diverged"), "explode preset");
      await expectPressed(page, "preset-explode", "after the explode preset");
      if ((await historyLength(page)) !== start + 2)
        throw new Error("two presets should add two history entries");
      await page.goBack();
      await waitForText(page, "verdict", (t) => t.startsWith("Converged"), "Back to normalised");
      await waitForQuery(
        page,
        { "surface.lr": "1e-2", "surface.epochs": "5000", "surface.norm": "1" },
        "Back",
      );
      await expectPressed(page, "preset-normalised", "after Back");
      await page.goBack();
      await waitForText(page, "verdict", (t) => t.startsWith("Still crawling"), "Back to start");
      await waitForQuery(page, {}, "Back to the start");
      await page.goForward();
      await waitForText(page, "verdict", (t) => t.startsWith("Converged"), "Forward");
      if ((await byTestId(page, "lr").inputValue()) !== "0.01")
        throw new Error("Forward did not restore the learning rate select");
      // A control change is not a preset: no button stays pressed, and no entry is added.
      const before = await historyLength(page);
      await byTestId(page, "epochs").selectOption("1000");
      await waitForQuery(
        page,
        { "surface.lr": "1e-2", "surface.epochs": "1000", "surface.norm": "1" },
        "epochs",
      );
      await expectPressed(page, null, "after changing the epochs");
      if ((await historyLength(page)) !== before)
        throw new Error("changing a select added a history entry");
    },
  "a demo keeps other keys of the query string and drops invalid values of its own": async (
    page,
    { base },
  ) => {
    await page.goto(
      `${base}/learn/loss-surface.html?other.key=kept&surface.lr=banana&surface.epochs=500#what-the-three-book-runs-show`,
    );
    await waitForLiveContent(page);
    if ((await byTestId(page, "lr").inputValue()) !== "0.0001")
      throw new Error("an invalid learning rate was not replaced by the default");
    if ((await byTestId(page, "epochs").inputValue()) !== "500")
      throw new Error("the valid epochs value was not restored");
    await waitForQuery(page, { "other.key": "kept", "surface.epochs": "500" }, "after loading");
    await byTestId(page, "normalise").click();
    await waitForQuery(
      page,
      { "other.key": "kept", "surface.epochs": "500", "surface.norm": "1" },
      "after a change",
    );
    const hash = await page.evaluate(() => location.hash);
    if (hash !== "#what-the-three-book-runs-show") throw new Error(`the hash became "${hash}"`);
  },
});

Object.assign(stateChecks["/learn/data-and-model.html"], {
  "dragging a slider replaces the history entry instead of adding one per step": async (
    page,
    { base },
  ) => {
    await openClean(page, base, "/learn/data-and-model.html");
    const start = await historyLength(page);
    const slider = byTestId(page, "w-slider");
    const box = await slider.boundingBox();
    await page.mouse.move(box.x + box.width * 0.75, box.y + box.height / 2);
    await page.mouse.down();
    for (let i = 1; i <= 30; i++)
      await page.mouse.move(box.x + box.width * (0.75 - i * 0.01), box.y + box.height / 2);
    await page.mouse.up();
    const w = await byTestId(page, "w-value").textContent();
    await waitForQuery(page, { "line.w": String(Number(w)) }, "after the drag");
    const added = (await historyLength(page)) - start;
    if (added !== 0) throw new Error(`the drag added ${added} history entries`);
    await byTestId(page, "preset-best-fit").click();
    await expectPressed(page, "preset-best-fit", "after the least-squares button");
    if ((await historyLength(page)) !== start + 1)
      throw new Error("the least-squares preset should add one history entry");
    await page.goBack();
    await waitForText(page, "w-value", (t) => t === w, "Back to the dragged w");
  },
});
