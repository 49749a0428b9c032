// Checks that each interactive demo reacts to its controls, keyed by page path. Each check gets
// the loaded page and { shot(label) } for a screenshot path; it throws to fail.

import {
  byTestId,
  countBluePixels,
  demoShot,
  expectChartLabel,
  expectClose,
  expectOneLrNotation,
  expectText,
  number,
  waitForText,
} from "./helpers.mjs";

export const demoChecks = {
  "/": {
    "the quickstart prints the book's parameters": async (page) => {
      await expectText(page, "tensor([  5.3671, -17.3012], requires_grad=True)", "2.9276");
    },
  },
  "/guide/tensor.html": {
    "examples print PyTorch-style tensors and a typed error": async (page) => {
      await expectText(
        page,
        "tensor([[1., 2.],",
        "SHAPE_MISMATCH",
        "y * z * a: torch.Size([2, 3, 3])",
      );
    },
    "the random example prints what PyTorch prints after the same seeds": async (page) => {
      // PyTorch 1.13 (CPU) for the calls in the example's comments.
      await expectText(
        page,
        "tensor([0.4963, 0.7682, 0.0885])",
        "tensor([ 6,  8,  9,  2,  1, 10,  0,  7,  3,  5,  4])",
        "tensor([0.8692, 0.1872, 0.7388, 0.1354])",
        "[ 0.1573, -0.0923,  0.1279,  0.1296,  0.0610,  0.1335, -0.0232,  0.0042]",
        "tensor([0., 1., 0., 0., 1., 0.])",
      );
    },
    "the book's set_printoptions cell prints the book's two lines": async (page) => {
      await expectText(
        page,
        "tensor([35.7000, 55.9000, 58.2000, 81.9000, 56.3000, 48.9000, 33.9000,\n        21.8000, 48.4000, 60.4000, 68.4000])",
      );
    },
    "rounding goes half to even and keeps decimals as PyTorch does": async (page) => {
      // PyTorch 1.13's output for the same calls.
      await expectText(
        page,
        "floor tensor([-2., -1.,  0.,  2.])",
        "ceil  tensor([-1., -0.,  1.,  3.])",
        "trunc tensor([-1., -0.,  0.,  2.])",
        "round tensor([-2., -0.,  0.,  2.])",
        "tensor([1.2300, 0.1200])",
        "tensor([ 1200.,  1200., -1400.])",
      );
    },
    "logic examples print masks, bits and exact integers as PyTorch does": async (page) => {
      // PyTorch 1.13's output for the same calls.
      await expectText(
        page,
        "tensor([ True, False,  True, False])",
        "tensor([ 20,  12, -32])",
        "tensor([  19487171,      -2187, 2147483647])",
        "pow: Integers to negative integer powers are not allowed",
      );
    },
  },
  "/guide/masks.html": {
    "the mask and scatter examples print PyTorch's results": async (page) => {
      // PyTorch 1.13's output for the same calls.
      await expectText(
        page,
        "tensor([-2., -4., -6.])",
        "tensor([4., 4., 2.])",
        "tensor([4.6667, 7.0000, 6.0000])",
        "tensor([0.5000, 0.5000, 1.0000, 0.0000])",
        "INVALID_DTYPE maskedFill: mask must be a bool tensor",
      );
    },
  },
  "/guide/indexing.html": {
    "indexing, assignment and the gradient of repeated indices print PyTorch's values": async (
      page,
    ) => {
      await expectText(
        page,
        "tensor([ 9, 10, 11])",
        "tensor([1., 0., 3., 0.])",
        "tensor([2., 0., 1.])",
      );
    },
  },
  "/guide/autograd.html": {
    "backward() gives the book's gradient; the loop its parameters": async (page) => {
      await expectText(page, "tensor([4517.29", "tensor([  5.3671, -17.3012], requires_grad=True)");
    },
  },
  "/guide/optim.html": {
    "one SGD step and the Adam run give the book's numbers": async (page) => {
      await expectText(
        page,
        "tensor([1.7761, 0.1064], requires_grad=True)",
        "tensor([  0.5367, -17.3021], requires_grad=True)",
      );
    },
  },
  "/guide/data.html": {
    "the split, loader and CSV examples run": async (page) => {
      await expectText(page, "batches per epoch: 3", "NOT_A_NUMBER");
    },
  },
  "/guide/train.html": {
    "fit reproduces the book's split run and stops a divergent one": async (page) => {
      await expectText(
        page,
        "Epoch 3000, Training loss 3.0125, Validation loss 3.5756",
        "DIVERGED at epoch 11",
      );
    },
  },
  "/guide/nn.html": {
    "models print as PyTorch prints them, train, and name their errors": async (page) => {
      // PyTorch 1.13's print(model) for the same models.
      await expectText(
        page,
        "Sequential(\n  (0): Linear(in_features=1, out_features=13, bias=True)\n  (1): Tanh()\n  (2): Linear(in_features=13, out_features=1, bias=True)\n)",
        "(hidden_linear): Linear(in_features=1, out_features=8, bias=True)",
        "hiddenLinear.weight",
        "Epoch 3000, Training loss",
        "Linear(in_features=13, out_features=1, bias=True) expects an input of shape [*, 13]",
        "size mismatch for 0.weight: copying a param with shape torch.Size([13, 1])",
      );
    },
  },
  "/guide/cli.html": {
    "the CLI's help and a real x fit run were captured at build time": async (page) => {
      await expectText(
        page,
        "Usage: x [options] [command]",
        "Trained a linear model",
        "Usage: x fit",
      );
    },
  },
  "/learn/data-and-model.html": {
    "the loss at the book's start is 1763.88 and the sliders change it": async (page, { shot }) => {
      expectClose(await number(page, "loss"), 1763.8846, 1e-5, "loss at w = 1, b = 0");
      await byTestId(page, "w-slider").fill("0.5");
      await waitForText(page, "w-value", (t) => t === "0.500", "w slider");
      const moved = await number(page, "loss");
      if (!(moved < 1763)) throw new Error(`moving w to 0.5 should lower the loss, got ${moved}`);
      await byTestId(page, "b-slider").fill("-17");
      await waitForText(page, "loss", (t) => Number(t) < 10, "b slider");
      await byTestId(page, "preset-best-fit").click();
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
    "the hints suggest normalising t_u only while it is raw": async (page) => {
      await byTestId(page, "preset-explode").click();
      await waitForText(page, "verdict", (t) => t.includes("normalise t_u"), "raw, lr 1e-2");
      await byTestId(page, "normalise").click();
      for (const [lr, verdict] of [
        ["0.1", "Diverged"],
        ["0.0001", "Still crawling"],
      ]) {
        await byTestId(page, "lr").selectOption(lr);
        const text = await waitForText(
          page,
          "verdict",
          (t) => t.startsWith(verdict),
          `normalised, lr ${lr}`,
        );
        if (/normalis/i.test(text)) throw new Error(`normalised, yet told to normalise: ${text}`);
      }
    },
    "the dashed minimum line is labelled and learning rates are written one way": async (page) => {
      await expectChartLabel(page, '[data-testid="surface-losses"]', "least-squares minimum");
      await expectOneLrNotation(page);
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
    "a relative error of 1 beside gradcheck → true is explained": async (page) => {
      await byTestId(page, "method").selectOption("central");
      await byTestId(page, "dtype").selectOption("float32");
      await byTestId(page, "delta-slider").fill("-7");
      await waitForText(page, "rel-error", (t) => t === "1", "float32 at δ = 1e-7");
      const note = await waitForText(
        page,
        "error-explained",
        (t) => t.length > 0,
        "the explanation",
      );
      for (const needle of ["estimate of 0", "float64", "gradcheck"])
        if (!note.includes(needle))
          throw new Error(`the explanation does not mention "${needle}": ${note}`);
      const readout = (await page.locator(".demo-readout").textContent()) ?? "";
      if (!readout.includes("float64"))
        throw new Error(`the gradcheck readout hides its dtype: ${readout}`);
    },
  },
  "/learn/optimizers.html": {
    "the race draws two curves; Adam reaches the minimum on raw data, SGD crawls": async (
      page,
      { shot },
    ) => {
      const curves = await page
        .locator('[data-testid="race-losses"] g[aria-label="line"] path')
        .count();
      if (curves !== 2) throw new Error(`expected 2 loss curves (SGD and Adam), got ${curves}`);
      await waitForText(
        page,
        "reached-Adam",
        (t) => t.startsWith("epoch"),
        "Adam lr 0.1 on raw t_u",
      );
      await waitForText(page, "reached-SGD", (t) => t === "not yet", "SGD lr 1e-4 on raw t_u");
      await byTestId(page, "sgd-lr").selectOption("0.001");
      await waitForText(
        page,
        "reached-SGD",
        (t) => t.startsWith("diverged"),
        "SGD lr 1e-3 on raw t_u",
      );
      await byTestId(page, "preset-normalised").click();
      await waitForText(
        page,
        "reached-SGD",
        (t) => t.startsWith("epoch"),
        "SGD lr 1e-2 on t_u × 0.1",
      );
      const after = await page
        .locator('[data-testid="race-losses"] g[aria-label="line"] path')
        .count();
      if (after !== 2) throw new Error(`expected 2 loss curves after the change, got ${after}`);
      await demoShot(page, ".demo", shot("demo"));
    },
    "SGD's path stays visible where Adam's runs over it; the minimum line is labelled": async (
      page,
    ) => {
      await byTestId(page, "preset-normalised").click();
      await waitForText(page, "reached-SGD", (t) => t.startsWith("epoch"), "normalised preset");
      const blue = await countBluePixels(page, byTestId(page, "race-paths").locator("svg").last());
      // A 2 px SGD line under Adam's 2 px line shows almost none of its colour.
      if (blue < 600) throw new Error(`only ${blue} pixels of the SGD path are visible`);
      await expectChartLabel(page, '[data-testid="race-losses"]', "least-squares minimum");
      await expectOneLrNotation(page);
    },
  },
  "/learn/validation.html": {
    "the book's split reproduces its losses; the polynomial overfits; noGrad builds no graph":
      async (page, { shot }) => {
        expectClose(
          await number(page, "train-loss"),
          3.01251,
          1e-4,
          "final training loss (book: 3.0125)",
        );
        expectClose(
          await number(page, "val-loss"),
          3.57559,
          1e-4,
          "final validation loss (book: 3.5756)",
        );
        if ((await byTestId(page, "overfitting").getAttribute("data-overfitting")) !== "false") {
          throw new Error("the book's linear run should not be flagged as overfitting");
        }
        if ((await byTestId(page, "nograd-requires").textContent()) !== "false")
          throw new Error("noGrad loss requires grad");
        if ((await byTestId(page, "grad-requires").textContent()) !== "true")
          throw new Error("plain loss does not require grad");
        await byTestId(page, "preset-overfit").click();
        await page.waitForSelector('[data-testid="overfitting"][data-overfitting="true"]', {
          timeout: 10_000,
        });
        const curves = await page.locator('.demo g[aria-label="line"] path').count();
        if (curves < 2)
          throw new Error(`expected training and validation curves, got ${curves} paths`);
        await demoShot(page, ".demo", shot("overfit"));
        await byTestId(page, "split").selectOption("seeded");
        await byTestId(page, "seed").fill("3");
        await waitForText(page, "best-epoch", (t) => Number(t) > 0, "seeded split");
      },
    "the two validation losses of one run are explained": async (page) => {
      await byTestId(page, "preset-overfit").click();
      await page.waitForSelector('[data-testid="overfitting"][data-overfitting="true"]');
      const recorded = (await byTestId(page, "val-loss").textContent()).trim();
      const final = (await byTestId(page, "nograd-value").textContent()).trim();
      if (recorded === final) throw new Error(`expected two different losses, both are ${final}`);
      const note = (await byTestId(page, "val-loss-note").textContent()) ?? "";
      for (const needle of [recorded, final, "before", "after the last step"])
        if (!note.includes(needle))
          throw new Error(`the note does not mention "${needle}": ${note}`);
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
