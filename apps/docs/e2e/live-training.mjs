// Checks of the demos that train live (learn pages 7 and 8), keyed by page path as demos.mjs:
// epochs advance frame by frame, the loss falls, the charts are redrawn, hiding the page pauses
// training, and the controls restart the run and are kept in the query string.
import { byTestId, demoShot, number, waitForQuery, waitForText } from "./helpers.mjs";

/** Waits (up to `seconds`) until `read()` satisfies `predicate`; returns the value. */
async function until(page, read, predicate, what, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  let value = await read();
  while (!predicate(value)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)}`);
    await page.waitForTimeout(100);
    value = await read();
  }
  return value;
}

const epochOf = (page) => number(page, "epoch");

/** Waits until the query string has no key of the demo `prefix` (all controls at defaults). */
const queryCleared = (page, prefix, what) =>
  until(
    page,
    () => page.evaluate(() => location.search),
    (search) => ![...new URLSearchParams(search).keys()].some((k) => k.startsWith(`${prefix}.`)),
    what,
    10,
  );

/** The drawing of one chart: its paths' `d` and its images' data, as one string. */
const drawingOf = (page, chart) =>
  page.$eval(`[data-testid="${chart}"]`, (el) =>
    [...el.querySelectorAll("svg path, svg image")]
      .map((n) => n.getAttribute("d") ?? n.getAttribute("href") ?? "")
      .join("|"),
  );

/** Makes the page report itself hidden (or visible again) and fires `visibilitychange`. */
const setHidden = (page, hidden) =>
  page.evaluate((h) => {
    if (h)
      Object.defineProperty(document, "visibilityState", { value: "hidden", configurable: true });
    else delete document.visibilityState;
    document.dispatchEvent(new Event("visibilitychange"));
  }, hidden);

/** Fails unless the epoch stays at its value for 800 ms. */
async function expectStopped(page, what) {
  const before = await epochOf(page);
  await page.waitForTimeout(800);
  const after = await epochOf(page);
  if (after !== before) throw new Error(`${what}: the epoch went on from ${before} to ${after}`);
}

/** Fails unless the epoch moves past its current value. */
async function expectTraining(page, what) {
  const before = await epochOf(page);
  await until(
    page,
    () => epochOf(page),
    (e) => e > before,
    `${what}: the epoch did not advance`,
    20,
  );
}

/**
 * Restarts the run, then checks that hiding the page stops training (the status says so), that
 * showing it resumes, and that the pause and resume buttons do the same.
 */
async function pausesWhenHidden(page) {
  await byTestId(page, "restart").click();
  await expectTraining(page, "after restart");
  await setHidden(page, true);
  await waitForText(page, "status", (t) => t === "paused while the page is hidden", "hidden");
  await expectStopped(page, "while the page is hidden");
  await setHidden(page, false);
  await expectTraining(page, "after the page is shown again");
  await byTestId(page, "pause").click();
  await waitForText(page, "status", (t) => t === "paused", "after pause");
  await expectStopped(page, "after pause");
  await byTestId(page, "play").click();
  await expectTraining(page, "after resume");
}

/** Restarts the run and reads its loss and chart drawing while it is young. */
async function restartAndRead(page, lossId, chart) {
  const before = await epochOf(page);
  await byTestId(page, "restart").click();
  // A young run may not be seen younger after the restart; an older one must be.
  await until(
    page,
    () => epochOf(page),
    (e) => e < before || before <= 100,
    "no restart",
    20,
  );
  return { loss: await number(page, lossId), drawing: await drawingOf(page, chart) };
}

export const liveTrainingChecks = {
  "/learn/nn.html": {
    "the network trains live: the loss falls below the line's and its curve is redrawn": async (
      page,
      { shot },
    ) => {
      const start = await restartAndRead(page, "network-loss", "curve-chart");
      await until(
        page,
        () => epochOf(page),
        (e) => e >= 4000,
        "training did not reach epoch 4000",
      );
      const network = await number(page, "network-loss");
      const linear = await number(page, "linear-loss");
      const epoch1 = await number(page, "first-network-loss");
      if (!(network < epoch1 / 20 && network < start.loss))
        throw new Error(
          `the network's loss fell only from ${epoch1} (epoch 1) and ${start.loss} to ${network}`,
        );
      // The line stops at the least-squares minimum of chapter 5 (3.0123 after 4000 epochs);
      // the network bends below it.
      if (!(linear > 2.9 && linear < 3.2)) throw new Error(`the linear model's loss is ${linear}`);
      if (!(network < linear)) throw new Error(`network ${network} is not below linear ${linear}`);
      if ((await drawingOf(page, "curve-chart")) === start.drawing)
        throw new Error("the curve chart was not redrawn as the network trained");
      await demoShot(page, ".demo", shot("training"));
      await waitForText(page, "status", (t) => t === "finished", "after 5000 epochs");
      await expectStopped(page, "after 5000 epochs");
    },
    "the model prints as PyTorch prints it, with its named parameters": async (page) => {
      await waitForText(
        page,
        "model-print",
        (t) =>
          t ===
          "Sequential(\n  (0): Linear(in_features=1, out_features=13, bias=True)\n  (1): Tanh()\n  (2): Linear(in_features=13, out_features=1, bias=True)\n)",
        "print(seq_model)",
      );
      await waitForText(
        page,
        "named-parameters",
        (t) => /0\.weight\s*\[13, 1\]\s*13\s*0\.bias\s*\[13\]\s*13\s*2\.weight\s*\[1, 13\]/.test(t),
        "namedParameters()",
      );
    },
    "hiding the page pauses training, showing it resumes; so do the buttons": pausesWhenHidden,
    "the hidden size restarts the run and is kept in the URL": async (page) => {
      await byTestId(page, "hidden").selectOption("8");
      await waitForText(page, "model-print", (t) => t.includes("out_features=8"), "H = 8");
      await waitForQuery(page, { "nn.hidden": "8" }, "after choosing H = 8");
      await page.reload({ waitUntil: "load" });
      await waitForText(page, "model-print", (t) => t.includes("out_features=8"), "after reload");
      await expectTraining(page, "after reload");
      await byTestId(page, "hidden").selectOption("13");
      await queryCleared(page, "nn", "back to the book's H = 13");
    },
  },
  "/learn/classifier.html": {
    "the classifier trains live: loss falls, accuracy rises, the regions are redrawn": async (
      page,
      { shot },
    ) => {
      const start = await restartAndRead(page, "loss", "regions-chart");
      await demoShot(page, ".demo", shot("start"));
      await until(
        page,
        () => epochOf(page),
        (e) => e >= 200,
        "training did not reach epoch 200",
      );
      const loss = await number(page, "loss");
      const accuracy = await number(page, "accuracy");
      const epoch1 = await number(page, "first-loss");
      if (!(loss < epoch1 / 10 && loss < start.loss))
        throw new Error(`the loss fell only from ${epoch1} (epoch 1) and ${start.loss} to ${loss}`);
      if (!(accuracy >= 95)) throw new Error(`the training accuracy is only ${accuracy} %`);
      if ((await drawingOf(page, "regions-chart")) === start.drawing)
        throw new Error("the decision regions were not redrawn as the model trained");
      await demoShot(page, ".demo", shot("trained"));
    },
    "hiding the page pauses training, showing it resumes; so do the buttons": pausesWhenHidden,
    "a preset restarts on another dataset, as one history entry": async (page, { shot }) => {
      await byTestId(page, "preset-moons").click();
      await waitForQuery(
        page,
        {
          "classify.data": "moons",
          "classify.hidden": "16",
          "classify.act": "tanh",
          "classify.opt": "sgd",
          "classify.lr": "3e-2",
        },
        "after the two-moons preset",
      );
      await waitForText(
        page,
        "model-print",
        (t) => t.includes("Linear(in_features=16, out_features=2"),
        "moons model",
      );
      await until(
        page,
        () => number(page, "accuracy"),
        (a) => a >= 95,
        "two moons not learned",
      );
      await demoShot(page, ".demo", shot("moons"));
      await page.goBack();
      await queryCleared(page, "classify", "after Back");
      await waitForText(page, "model-print", (t) => t.includes("out_features=3"), "after Back");
    },
  },
};
