// The @x packages on workloads W1-W6 of shared/bench-peers, W7 (indexing), W8 (softmax), W9
// (sorting), W10 (a small CNN training step) and D1 (CSV loading), printing the peers' JSON lines.
// Usage (after bundling, see scripts/bench.mjs): node .build/ours.mjs [--only W1,D1] [--smoke]
// [--csv-10m]
// Importing from @x/autograd also installs gradient recording (its side effect).
import { noGrad } from "@x/autograd";
import { compile } from "@x/compile";
import { crossEntropy } from "@x/nn/functional";
import * as optim from "@x/optim";
import { conv2d, maxPool2d, type Tensor, tensor, zeros } from "@x/tensor";
import {
  checkW1,
  emit,
  guarded,
  now,
  parseArgs,
  perOp,
  randomArray,
  SIZES,
  sizeLabel,
  T_C,
  T_U,
  timeReps,
  W1_EPOCHS,
  W1_LR,
  W5,
  W10,
  w5Data,
  w10Data,
} from "../peers/harness.mjs";
import { csvWorkload } from "./csv-workload";

/** The peer name of our packages in every JSON line. */
export const PEER = "@x";
/** W5's loss after the 10 warm-up steps, the same in every peer (shared/bench-peers/results.md). */
export const W5_LOSS_AT_STEP10 = 0.359561;
/** W10's loss at the first step (before any update), the same in every peer. */
export const W10_LOSS_AT_STEP1 = 2.33732;

const args = parseArgs(process.argv.slice(2).map((a) => (a === "--smoke" ? "--quick" : a)));
const smoke: boolean = args.quick;

/** A plain SGD step, or @x/optim's SGD once the package exports it. */
type Stepper = { zeroGrad(): void; step(): void };
function sgd(params: Tensor[], lr: number): Stepper {
  const SGD = (optim as Record<string, unknown>).SGD as
    | (new (
        params: Tensor[],
        options: { lr: number },
      ) => Stepper)
    | undefined;
  if (SGD !== undefined) return new SGD(params, { lr });
  return {
    zeroGrad: () => {
      for (const p of params) p.grad = null;
    },
    step: () =>
      noGrad(() => {
        for (const p of params) p.sub_(p.grad!.mul(lr));
      }),
  };
}
const sgdKind = (optim as Record<string, unknown>).SGD ? "@x/optim SGD" : "hand-written noGrad SGD";

/** The book's chapter-5 loop: returns final w, b and loss; calls `sample` every `every` epochs. */
function w1Loop(epochs: number, tun: Tensor, tc: Tensor, every = 0, sample?: () => void) {
  const params = tensor([1, 0], { requiresGrad: true });
  const optimizer = sgd([params], W1_LR);
  let loss = tensor(0);
  for (let epoch = 1; epoch <= epochs; epoch++) {
    optimizer.zeroGrad();
    const [w, b] = params.unbind();
    const tp = w!.mul(tun).add(b!);
    loss = tp.sub(tc).pow(2).mean();
    loss.backward();
    optimizer.step();
    if (sample !== undefined && epoch % every === 0) sample();
  }
  const [w, b] = params.toArray() as number[];
  return { w: w!, b: b!, loss: loss.item() as number };
}

const tc = tensor(T_C);
const tun = tensor(T_U).mul(0.1);

/** Times a W1 variant (5000 epochs per rep) and emits its line, checked against the book. */
async function timeW1(
  workload: string,
  run: () => { w: number; b: number; loss: number },
  note: string,
) {
  await guarded(PEER, workload, "5000ep", "ms_total", "ms", () => {
    let result = { w: 0, b: 0, loss: 0 };
    const t = timeReps(
      () => {
        result = run();
      },
      { minReps: smoke ? 1 : 3, maxReps: smoke ? 1 : 10, budgetMs: smoke ? 0 : 3000 },
    );
    const check = checkW1(result.w, result.b, result.loss);
    emit(PEER, workload, "5000ep", "ms_total", t.best, "ms", {
      reps: t.reps,
      median: t.median,
      check,
      ok: check.ok,
      note,
    });
  });
}

if (args.want("W1")) {
  await timeW1(
    "W1_thermo_sgd",
    () => w1Loop(W1_EPOCHS, tun, tc),
    `book loop: unbind, autograd backward, ${sgdKind}`,
  );
}

// W1 compiled: the same step through @x/compile (captured on the first call, then replayed)
if (args.want("W1")) {
  const compiledLoop = () => {
    const params = tensor([1, 0], { requiresGrad: true });
    const optimizer = sgd([params], W1_LR);
    const step = compile((x: Tensor, y: Tensor) => {
      optimizer.zeroGrad();
      const [w, b] = params.unbind();
      const loss = w!.mul(x).add(b!).sub(y).pow(2).mean();
      loss.backward();
      optimizer.step();
      return loss;
    });
    let loss = tensor(0);
    for (let epoch = 1; epoch <= W1_EPOCHS; epoch++) loss = step(tun, tc);
    const [w, b] = params.toArray() as number[];
    return { w: w!, b: b!, loss: loss.item() as number };
  };
  await timeW1(
    "W1_thermo_sgd_compiled",
    compiledLoop,
    `the W1 step under @x/compile: its JavaScript runs with the kernels held back, then the plan replays them (${sgdKind})`,
  );
}

if (args.want("W2")) {
  for (const n of SIZES.W2 as number[]) {
    await guarded(PEER, "W2_add_overhead", n, "us_per_op", "us", () => {
      const a = tensor(randomArray(n, Float32Array, 1));
      const b = tensor(randomArray(n, Float32Array, 2));
      let last = a;
      const r = perOp(
        () => {
          last = a.add(b);
        },
        smoke ? { n: 2000, warm: 200 } : {},
      );
      const expected = Math.fround(
        (a.toArray() as number[])[n - 1]! + (b.toArray() as number[])[n - 1]!,
      );
      emit(PEER, "W2_add_overhead", n, "us_per_op", r.usPerOp, "us", {
        ops: r.count,
        ok: (last.toArray() as number[])[n - 1] === expected,
        note: "a.add(b), result left to the garbage collector",
      });
    });
  }
}

/** Checks a few elements of a*b+c against float32 arithmetic done by hand. */
function checkMulAdd(out: Tensor, a: Float32Array, b: Float32Array, c: Float32Array): boolean {
  const values = out.toTypedArray();
  for (const i of [0, 1, a.length >> 1, a.length - 1]) {
    if (values[i] !== Math.fround(Math.fround(a[i]! * b[i]!) + c[i]!)) return false;
  }
  return values.length === a.length;
}

/** CPU time (user + system) of this process in ms: less sensitive than wall time to other tenants. */
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

if (args.want("W3")) {
  const sizes: number[] = smoke ? [1000, 100_000] : SIZES.W3;
  for (const n of sizes) {
    const label = sizeLabel(n);
    const A = randomArray(n, Float32Array, 1);
    const B = randomArray(n, Float32Array, 2);
    const C = randomArray(n, Float32Array, 3);
    const [a, b, c] = [tensor(A), tensor(B), tensor(C)];
    let out = a;
    await guarded(PEER, "W3_mul_add", label, "Melem_per_s", "Melem/s", () => {
      // As the peers: back-to-back synchronous calls, best time.
      const t = timeReps(
        () => {
          out = a.mul(b).add(c);
        },
        { minReps: 3, maxReps: 10, budgetMs: smoke ? 10 : 1000 },
      );
      const s = t.best / 1000;
      emit(PEER, "W3_mul_add", label, "Melem_per_s", n / s / 1e6, "Melem/s", {
        GBps: (n * 16) / s / 1e9,
        ms: t.best,
        reps: t.reps,
        ok: checkMulAdd(out, A, B, C),
        note: "a.mul(b).add(c), synchronous loop",
      });
    });
    await guarded(PEER, "W3_mul_add_yielding", label, "Melem_per_s", "Melem/s", async () => {
      // Each call timed alone, yielding to the event loop in between (as an app's loop that
      // awaits data would). Median of the calls.
      const times: number[] = [];
      for (let rep = 0; rep < (smoke ? 3 : 20); rep++) {
        await yieldToEventLoop();
        const start = now();
        out = a.mul(b).add(c);
        times.push(now() - start);
      }
      times.sort((x, y) => x - y);
      const ms = times[times.length >> 1]!;
      emit(PEER, "W3_mul_add_yielding", label, "Melem_per_s", n / (ms / 1000) / 1e6, "Melem/s", {
        ms,
        best_ms: times[0],
        reps: times.length,
        ok: checkMulAdd(out, A, B, C),
        note: "a.mul(b).add(c), event loop turn between calls, median",
      });
    });
  }
}

// W3 compiled: a*b+c through @x/compile (captured on the first call, then replayed into the
// plan's buffer: the result is overwritten by the next call, as a compiled step's outputs are)
if (args.want("W3")) {
  for (const n of smoke ? [1000, 100_000] : [1_000_000, 10_000_000]) {
    const label = sizeLabel(n);
    const A = randomArray(n, Float32Array, 1);
    const B = randomArray(n, Float32Array, 2);
    const C = randomArray(n, Float32Array, 3);
    const [a, b, c] = [tensor(A), tensor(B), tensor(C)];
    const mulAdd = compile((x: Tensor, y: Tensor, z: Tensor) => x.mul(y).add(z));
    await guarded(PEER, "W3_mul_add_compiled", label, "Melem_per_s", "Melem/s", () => {
      let out = mulAdd(a, b, c); // the capture, outside the timed calls
      const t = timeReps(
        () => {
          out = mulAdd(a, b, c);
        },
        { minReps: 3, maxReps: 10, budgetMs: smoke ? 10 : 1000 },
      );
      emit(
        PEER,
        "W3_mul_add_compiled",
        label,
        "Melem_per_s",
        n / (t.best / 1000) / 1e6,
        "Melem/s",
        {
          ms: t.best,
          reps: t.reps,
          ok: checkMulAdd(out, A, B, C),
          note: "compile((a, b, c) => a.mul(b).add(c)), replayed; synchronous loop, best",
        },
      );
    });
  }
}

if (args.want("W4")) {
  const sizes: number[] = smoke ? [16, 64] : SIZES.W4;
  for (const n of sizes) {
    await guarded(PEER, "W4_matmul", n, "GFLOP_per_s", "GFLOP/s", () => {
      const A = randomArray(n * n, Float32Array, 1);
      const B = randomArray(n * n, Float32Array, 2);
      const a = tensor(A).reshape([n, n]);
      const b = tensor(B).reshape([n, n]);
      let c = a.matmul(b); // warm-up outside the CPU-time window
      const cpuStart = cpuMs();
      const t = timeReps(
        () => {
          c = a.matmul(b);
        },
        { minReps: 2, maxReps: 10, budgetMs: smoke ? 10 : 1500 },
      );
      const cpuPerCall = (cpuMs() - cpuStart) / (t.reps + 1); // + the warm-up call
      const values = c.toTypedArray();
      let ok = true;
      for (const [i, j] of [
        [0, 0],
        [n - 1, n - 1],
        [n >> 1, 3],
      ] as const) {
        let s = 0;
        for (let k = 0; k < n; k++) s += A[i * n + k]! * B[k * n + j]!;
        if (Math.abs(values[i * n + j]! - s) > 1e-3 * Math.sqrt(n)) ok = false;
      }
      emit(PEER, "W4_matmul", n, "GFLOP_per_s", (2 * n ** 3) / (t.best / 1000) / 1e9, "GFLOP/s", {
        ms: t.best,
        reps: t.reps,
        warmup_only: t.warmup_only,
        cpu_GFLOP_per_s: +((2 * n ** 3) / (cpuPerCall / 1000) / 1e9).toPrecision(4),
        ok,
      });
    });
  }
}

/** W5's model, data and optimizer; returns its training step (returns the loss tensor). */
function w5Step(): () => Tensor {
  const { B, IN, HID, LR } = W5;
  const d = w5Data();
  const X = tensor(Float32Array.from(d.X)).reshape([B, IN]);
  const Y = tensor(Float32Array.from(d.Y)).reshape([B, 1]);
  const W1p = tensor(Float32Array.from(d.W1)).reshape([IN, HID]).requiresGrad_();
  const b1 = zeros([HID], { requiresGrad: true });
  const W2p = tensor(Float32Array.from(d.W2)).reshape([HID, 1]).requiresGrad_();
  const b2 = zeros([1], { requiresGrad: true });
  const optimizer = sgd([W1p, b1, W2p, b2], LR);
  return () => {
    optimizer.zeroGrad();
    const pred = X.matmul(W1p).add(b1).relu().matmul(W2p).add(b2);
    const loss = pred.sub(Y).pow(2).mean();
    loss.backward();
    optimizer.step();
    return loss;
  };
}

/** Times a W5 variant (10 warm-up steps, then up to STEPS in 5 s) and emits its line. */
async function timeW5(workload: string, step: () => Tensor, note: string) {
  await guarded(PEER, workload, "64-256-1_b256", "ms_per_step", "ms", () => {
    const { WARM, STEPS } = W5;
    let loss = step();
    for (let s = 1; s < WARM; s++) loss = step();
    const loss10 = loss.item() as number;
    const target = smoke ? 10 : STEPS;
    const start = now();
    const cpuStart = cpuMs();
    let steps = 0;
    while (steps < target && (steps < 5 || now() - start < 5000)) {
      loss = step();
      steps++;
    }
    const ms = (now() - start) / steps;
    const cpuMsPerStep = (cpuMs() - cpuStart) / steps;
    const lossEnd = loss.item() as number;
    emit(PEER, workload, "64-256-1_b256", "ms_per_step", ms, "ms", {
      steps,
      cpu_ms_per_step: +cpuMsPerStep.toPrecision(4),
      loss_at_step10: +loss10.toPrecision(6),
      loss_end: +lossEnd.toPrecision(6),
      ok: lossEnd < loss10 && Math.abs(loss10 - W5_LOSS_AT_STEP10) < 1e-4,
      note,
    });
  });
}

if (args.want("W5")) {
  await timeW5("W5_mlp_step", w5Step(), `matmul, add, relu, pow, mean, backward, ${sgdKind}`);
}

// W5 compiled: the same step through @x/compile (the first warm-up step captures the plan)
if (args.want("W5")) {
  await timeW5(
    "W5_mlp_step_compiled",
    compile(w5Step()),
    `the W5 step under @x/compile, replayed (${sgdKind})`,
  );
}

if (args.want("W6")) {
  const epochs = smoke ? 20_000 : 1_000_000;
  await guarded(PEER, "W6_memory", `${epochs / 1000}k_epochs`, "rss_growth_MB", "MB", () => {
    // The W1 loop, no disposal calls, sampled 10 times. The first half lets V8 size its heap;
    // growth is measured over the second half. With --expose-gc (the runner passes it), each
    // sample first collects garbage, so heap_growth_MB is the growth of live objects.
    const collect = (globalThis as { gc?: () => void }).gc;
    const mb = (bytes: number) => bytes / 2 ** 20;
    const rss: number[] = [];
    const heap: number[] = [];
    const start = now();
    const result = w1Loop(epochs, tun, tc, epochs / 10, () => {
      collect?.();
      const usage = process.memoryUsage();
      rss.push(mb(usage.rss));
      heap.push(mb(usage.heapUsed));
    });
    const growth = rss[9]! - rss[4]!;
    const heapGrowth = heap[9]! - heap[4]!;
    emit(PEER, "W6_memory", `${epochs / 1000}k_epochs`, "rss_growth_MB", growth, "MB", {
      rss_MB: rss.map((x) => +x.toFixed(1)),
      heap_used_MB: heap.map((x) => +x.toFixed(2)),
      heap_growth_MB: +heapGrowth.toFixed(3),
      gc_exposed: collect !== undefined,
      seconds: (now() - start) / 1000,
      ok: growth < 20 && (collect === undefined || heapGrowth < 1) && Number.isFinite(result.loss),
      note: "W1 loop, no disposal calls: RSS growth over the second half of the epochs",
    });
  });
}

if (args.want("W7")) {
  // Issue 17's indexing workload, as the PyTorch peer runs it (peers/torch_bench.py, w7).
  const n = 1_000_000;
  const x = tensor(randomArray(n, Float32Array, 1));
  const maskValues = randomArray(n, Float32Array, 3);
  const mask = tensor(maskValues).gt(0);
  await guarded(PEER, "W7_indexing", "slice_1M", "us_per_op", "us", () => {
    let view = x;
    const r = perOp(
      () => {
        view = x.index("100:-100");
      },
      smoke ? { n: 2000, warm: 200 } : {},
    );
    emit(PEER, "W7_indexing", "slice_1M", "us_per_op", r.usPerOp, "us", {
      ops: r.count,
      ok: view.numel() === n - 200 && view.storage === x.storage,
      note: "x.index('100:-100'), a view",
    });
  });
  const budget = { minReps: 3, maxReps: 20, budgetMs: smoke ? 10 : 1000 };
  await guarded(PEER, "W7_indexing", "mask_select_1M", "ms", "ms", () => {
    let selected = x;
    const t = timeReps(() => {
      selected = x.index(mask);
    }, budget);
    let expected = 0;
    for (let i = 0; i < n; i++) if ((maskValues[i] as number) > 0) expected++;
    emit(PEER, "W7_indexing", "mask_select_1M", "ms", t.best, "ms", {
      reps: t.reps,
      median: t.median,
      selected: selected.numel(),
      ok: selected.numel() === expected,
      note: "x.index(mask), about half selected",
    });
  });
  await guarded(PEER, "W7_indexing", "index_put_1M", "ms", "ms", () => {
    const y = x.clone();
    const t = timeReps(() => {
      y.indexPut_([mask], 0);
    }, budget);
    const written = y.toTypedArray();
    emit(PEER, "W7_indexing", "index_put_1M", "ms", t.best, "ms", {
      reps: t.reps,
      median: t.median,
      ok: written[n - 1] === ((maskValues[n - 1] as number) > 0 ? 0 : x.toTypedArray()[n - 1]),
      note: "y.indexPut_([mask], 0), in place",
    });
  });
}

if (args.want("W8")) {
  // Issue 13's softmax workload, as the PyTorch peer runs it (peers/torch_bench.py, w8).
  const [rows, cols] = smoke ? [16, 1000] : [256, 1000];
  const x = tensor(randomArray(rows * cols, Float32Array, 8))
    .mul(4)
    .reshape([rows, cols]);
  await guarded(PEER, "W8_softmax", "256x1000", "ms", "ms", () => {
    let y = x;
    const t = timeReps(
      () => {
        y = x.softmax(-1);
      },
      { minReps: 5, maxReps: 50, budgetMs: smoke ? 10 : 1000 },
    );
    const sums = y.sum(-1).toTypedArray();
    emit(PEER, "W8_softmax", "256x1000", "ms", t.best, "ms", {
      reps: t.reps,
      median: t.median,
      ok: sums.every((s) => Math.abs(s - 1) < 1e-5),
      note: `x.softmax(-1) of [${rows}, ${cols}] float32`,
    });
  });
}

if (args.want("W9")) {
  // Issue 13's sorting workload, as the PyTorch peer runs it (peers/torch_bench.py, w9).
  const n = 1_000_000;
  const x = tensor(randomArray(n, Float32Array, 9));
  const budget = { minReps: 3, maxReps: 20, budgetMs: smoke ? 10 : 1000 };
  await guarded(PEER, "W9_sorting", "sort_1M", "ms", "ms", () => {
    let sorted = x.sort();
    const t = timeReps(() => {
      sorted = x.sort();
    }, budget);
    const values = sorted.values.toTypedArray();
    const indices = sorted.indices.toTypedArray();
    const data = x.toTypedArray();
    let ok = sorted.indices.dtype === "int32";
    for (let i = 0; i < n && ok; i++) {
      ok = values[i] === data[indices[i] as number] && (i === 0 || values[i - 1]! <= values[i]!);
    }
    emit(PEER, "W9_sorting", "sort_1M", "ms", t.best, "ms", {
      reps: t.reps,
      median: t.median,
      ok,
      note: "x.sort(): values and int32 indices of 1M float32",
    });
  });
  await guarded(PEER, "W9_sorting", "sort_stable_1M", "ms", "ms", () => {
    let sorted = x.sort(-1, { stable: true });
    const t = timeReps(() => {
      sorted = x.sort(-1, { stable: true });
    }, budget);
    emit(PEER, "W9_sorting", "sort_stable_1M", "ms", t.best, "ms", {
      reps: t.reps,
      median: t.median,
      ok: sorted.values.equal(x.sort().values),
      note: "x.sort(-1, { stable: true }) of 1M float32",
    });
  });
  await guarded(PEER, "W9_sorting", "topk_1M", "ms", "ms", () => {
    let top = x.topk(10);
    const t = timeReps(() => {
      top = x.topk(10);
    }, budget);
    const sorted = x.sort(0, { descending: true }).values.index("0:10");
    emit(PEER, "W9_sorting", "topk_1M", "ms", t.best, "ms", {
      reps: t.reps,
      median: t.median,
      ok: top.values.equal(sorted),
      note: "x.topk(10) of 1M float32",
    });
  });
}

if (args.want("W10")) {
  // Issue 14's CNN workload, as the PyTorch and TF.js peers run it (torch_bench.py, w10).
  await guarded(PEER, "W10_cnn_step", "conv3x3x8_b32_32x32", "ms_per_step", "ms", () => {
    const { B, C, H, W, OUT, CLASSES, LR, WARM, STEPS } = W10;
    const d = w10Data();
    const x = tensor(d.X).reshape([B, C, H, W]);
    const target = tensor(d.labels, { dtype: "int32" });
    const convW = tensor(d.convW).reshape([OUT, C, 3, 3]).requiresGrad_();
    const convB = tensor(d.convB).requiresGrad_();
    const linW = tensor(d.linW)
      .reshape([CLASSES, d.linW.length / CLASSES])
      .requiresGrad_();
    const linB = tensor(d.linB).requiresGrad_();
    const optimizer = sgd([convW, convB, linW, linB], LR);
    const step = () => {
      optimizer.zeroGrad();
      const features = maxPool2d(conv2d(x, convW, convB, { padding: 1 }).relu(), 2).flatten(1);
      const loss = crossEntropy(features.matmul(linW.t()).add(linB), target);
      loss.backward();
      optimizer.step();
      return loss.item() as number;
    };
    const first = step();
    for (let s = 1; s < WARM; s++) step();
    const times: number[] = [];
    const start = now();
    const cpuStart = cpuMs();
    let last = first;
    while (times.length < (smoke ? 3 : STEPS) && (times.length < 5 || now() - start < 5000)) {
      const t = now();
      last = step();
      times.push(now() - t);
    }
    const cpuMsPerStep = (cpuMs() - cpuStart) / times.length;
    times.sort((a, b) => a - b);
    emit(
      PEER,
      "W10_cnn_step",
      "conv3x3x8_b32_32x32",
      "ms_per_step",
      times[times.length >> 1]!,
      "ms",
      {
        steps: times.length,
        cpu_ms_per_step: +cpuMsPerStep.toPrecision(4),
        best_ms: times[0],
        loss_at_step1: +first.toPrecision(6),
        loss_end: +last.toPrecision(6),
        ok: last < first && Math.abs(first - W10_LOSS_AT_STEP1) < 1e-4,
        note: `conv2d 3x3 pad 1, relu, maxPool2d 2, flatten, linear, logSoftmax+gather cross-entropy, backward, ${sgdKind}; median step`,
      },
    );
  });
}

if (args.want("D1")) {
  csvWorkload(
    smoke ? [10_000] : [1_000_000, ...(args.rest.includes("--csv-10m") ? [10_000_000] : [])],
  );
}
