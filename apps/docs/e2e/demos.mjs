// Checks that each interactive demo reacts to its controls, keyed by page path. Each check gets
// the loaded page and { shot(label) } for a screenshot path; it throws to fail.

const byTestId = (page, id) => page.locator(`[data-testid="${id}"]`).first();

async function number(page, id) {
  const text = (await byTestId(page, id).textContent())?.trim() ?? "";
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`[data-testid=${id}] shows "${text}", not a number`);
  return value;
}

function expectClose(actual, expected, rtol, what) {
  if (!(Math.abs(actual - expected) <= rtol * Math.abs(expected))) {
    throw new Error(`${what}: expected ≈ ${expected} (rtol ${rtol}), got ${actual}`);
  }
}

/** Waits until the test id's text satisfies `predicate`, then returns it. */
async function waitForText(page, id, predicate, what) {
  const locator = byTestId(page, id);
  const deadline = Date.now() + 10_000;
  let text = "";
  while (Date.now() < deadline) {
    text = (await locator.textContent())?.trim() ?? "";
    if (predicate(text)) return text;
    await page.waitForTimeout(50);
  }
  throw new Error(`${what}: [data-testid=${id}] still shows "${text}"`);
}

const demoShot = (page, selector, path) => page.locator(selector).first().screenshot({ path });

export const demoChecks = {
  "/learn/data-and-model.html": {
    "the loss at the book's start is 1763.88 and the sliders change it": async (page, { shot }) => {
      expectClose(await number(page, "loss"), 1763.8846, 1e-5, "loss at w = 1, b = 0");
      await byTestId(page, "w-slider").fill("0.5");
      await waitForText(page, "w-value", (t) => t === "0.500", "w slider");
      const moved = await number(page, "loss");
      if (!(moved < 1763)) throw new Error(`moving w to 0.5 should lower the loss, got ${moved}`);
      await byTestId(page, "b-slider").fill("-17");
      await waitForText(page, "loss", (t) => Number(t) < 10, "b slider");
      await byTestId(page, "best-fit").click();
      await waitForText(
        page,
        "loss",
        (t) => Math.abs(Number(t) - 2.92765) < 1e-3,
        "least-squares fit",
      );
      const lines = await page.locator(".demo svg path").count();
      if (lines < 1) throw new Error("the model line is not drawn");
      await demoShot(page, ".demo", shot("demo"));
    },
  },
  "/learn/loss-surface.html": {
    "lr 1e-4 on raw t_u crawls, lr 1e-2 diverges at epoch 11, normalised converges": async (
      page,
      { shot },
    ) => {
      await waitForText(page, "verdict", (t) => t.startsWith("Still crawling"), "raw, lr 1e-4");
      await byTestId(page, "lr").selectOption("0.01");
      await waitForText(
        page,
        "verdict",
        (t) => t.startsWith("Diverged") && t.includes("epoch 11"),
        "raw, lr 1e-2",
      );
      if ((await byTestId(page, "verdict").getAttribute("data-kind")) !== "bad") {
        throw new Error("the divergence message is not marked as an error");
      }
      await demoShot(page, ".demo", shot("diverged"));
      await byTestId(page, "preset-normalised").click();
      await waitForText(
        page,
        "verdict",
        (t) => t.startsWith("Converged"),
        "normalised, lr 1e-2, 5000 epochs",
      );
      await waitForText(
        page,
        "verdict",
        (t) => t.includes("w = 0.5367") && t.includes("b = -17.3012"),
        "book's parameters",
      );
      await demoShot(page, ".demo", shot("converged"));
      await byTestId(page, "preset-crawl").click();
      await waitForText(
        page,
        "verdict",
        (t) => t.startsWith("Still crawling") && t.includes("29.02"),
        "book's crawl",
      );
    },
  },
  "/learn/finite-differences.html": {
    "the estimate matches autograd at δ = 0.1 and breaks down at δ = 1e-7 in float32": async (
      page,
      { shot },
    ) => {
      const ag = await number(page, "ag-w");
      expectClose(ag, 4517.2969, 1e-6, "autograd ∂L/∂w at (1, 0)");
      expectClose(await number(page, "fd-w"), ag, 1e-4, "central difference at δ = 0.1");
      if ((await byTestId(page, "gradcheck").textContent()) !== "true")
        throw new Error("gradcheck is not true");
      await byTestId(page, "delta-slider").fill("-7");
      await waitForText(page, "rel-error", (t) => Number(t) > 0.05, "float32 at δ = 1e-7");
      await byTestId(page, "dtype").selectOption("float64");
      await waitForText(page, "rel-error", (t) => Number(t) < 1e-6, "float64 at δ = 1e-7");
      await byTestId(page, "method").selectOption("forward");
      await byTestId(page, "delta-slider").fill("0");
      await waitForText(page, "rel-error", (t) => Number(t) > 0.1, "forward difference at δ = 1");
      await demoShot(page, ".demo", shot("demo"));
    },
  },
  "/learn/computation-graph.html": {
    "the graph has 10 nodes, backward() again doubles the grads, zero_() clears them": async (
      page,
      { shot },
    ) => {
      const nodes = await page.locator("[data-testid=graph] .graph-node").count();
      if (nodes !== 10)
        throw new Error(`expected 10 graph nodes (5 ops, w, b, t_u, t_c, 2), got ${nodes}`);
      const w1 = await number(page, "w-grad");
      const b1 = await number(page, "b-grad");
      expectClose(w1, 4517.2969, 1e-6, "w.grad after one backward()");
      expectClose(b1, 82.6, 1e-6, "b.grad after one backward()");
      await byTestId(page, "backward").click();
      await waitForText(page, "calls", (t) => t === "2", "backward() count");
      expectClose(await number(page, "w-grad"), 2 * w1, 1e-6, "w.grad after two backward() calls");
      expectClose(await number(page, "b-grad"), 2 * b1, 1e-6, "b.grad after two backward() calls");
      await byTestId(page, "accumulated").waitFor({ state: "visible" });
      await demoShot(page, ".demo", shot("accumulated"));
      await byTestId(page, "zero").click();
      await waitForText(page, "w-grad", (t) => t === "0", "w.grad after zero_()");
    },
  },
};
