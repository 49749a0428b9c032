// Copied from shared/bench-peers (the peers' harness); keep it in sync with that copy.
// Shared helpers for the JavaScript peer scripts.
// Every peer script prints one JSON line per (workload, size) on stdout:
//   {"peer":..., "workload":..., "size":..., "metric":..., "value":..., "unit":..., ...extra}
// A failed measurement prints value:null and an "error" string instead of a number.
// Anything else a library prints (banners, warnings) is ignored by run.sh, which only
// keeps stdout lines that start with '{"peer"'.

export const now = () => performance.now(); // milliseconds, sub-microsecond resolution

// ---------------------------------------------------------------- CLI
// --only W1,W4   run a subset of workloads
// --quick        tiny budgets, for smoke tests of the harness itself (numbers meaningless)
export function parseArgs(argv = process.argv.slice(2)) {
  const args = { only: null, quick: false, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--only")
      args.only = new Set(argv[++i].split(",").map((s) => s.trim().toUpperCase()));
    else if (a === "--quick") args.quick = true;
    else args.rest.push(a);
  }
  args.want = (w) => !args.only || args.only.has(w.toUpperCase());
  return args;
}

// ---------------------------------------------------------------- output
export function emit(peer, workload, size, metric, value, unit, extra = {}) {
  const v =
    value === null || value === undefined || !Number.isFinite(value)
      ? null
      : Number(value.toPrecision(6));
  console.log(
    JSON.stringify({ peer, workload, size: String(size), metric, value: v, unit, ...extra }),
  );
}

export function emitError(peer, workload, size, metric, unit, err) {
  const msg = String(err && err.message ? err.message : err)
    .split("\n")[0]
    .slice(0, 300);
  console.log(
    JSON.stringify({ peer, workload, size: String(size), metric, value: null, unit, error: msg }),
  );
}

// Run one workload body; any exception becomes an error line instead of killing the script.
export async function guarded(peer, workload, size, metric, unit, body) {
  try {
    await body();
  } catch (e) {
    emitError(peer, workload, size, metric, unit, e);
  }
}

// ---------------------------------------------------------------- timing
// Time fn() repeatedly. The first call is a warm-up (JIT, caches, allocator). If the
// warm-up alone exceeds budgetMs the workload is too slow to repeat and the warm-up time is
// the measurement (flagged warmup_only). Otherwise at least minReps and at most maxReps
// timed calls are made, stopping once budgetMs has been spent.
export function timeReps(fn, { minReps = 3, maxReps = 10, budgetMs = 2000 } = {}) {
  let t = now();
  fn();
  const warm = now() - t;
  if (warm > budgetMs) return { best: warm, median: warm, reps: 1, warmup_only: true };
  const times = [];
  const t0 = now();
  while (times.length < maxReps) {
    t = now();
    fn();
    times.push(now() - t);
    if (times.length >= minReps && now() - t0 > budgetMs) break;
  }
  const sorted = [...times].sort((a, b) => a - b);
  return {
    best: sorted[0],
    median: sorted[sorted.length >> 1],
    reps: times.length,
    warmup_only: false,
  };
}

// Average cost of one call of op(), for per-op overhead (W2). Warm-up calls first; the
// count is capped so that a very slow peer spends about budgetMs, never fewer than minN.
export function perOp(op, { n = 100000, warm = 10000, budgetMs = 3000, minN = 2000 } = {}) {
  let t = now();
  for (let i = 0; i < warm; i++) op();
  const est = (now() - t) / warm;
  const count = Math.max(minN, Math.min(n, Math.floor(budgetMs / Math.max(est, 1e-6))));
  t = now();
  for (let i = 0; i < count; i++) op();
  return { usPerOp: ((now() - t) * 1000) / count, count };
}

// ---------------------------------------------------------------- data
// W1: "Deep Learning with PyTorch", chapter 5 thermometer data.
export const T_C = [0.5, 14.0, 15.0, 28.0, 11.0, 8.0, 3.0, -4.0, 6.0, 13.0, 21.0];
export const T_U = [35.7, 55.9, 58.2, 81.9, 56.3, 48.9, 33.9, 21.8, 48.4, 60.4, 68.4];
export const W1_EPOCHS = 5000;
export const W1_LR = 1e-2;
export const W1_EXPECTED = { w: 5.3671, b: -17.3012, loss: 2.9276 };

export function checkW1(w, b, loss) {
  const ok =
    Math.abs(w - W1_EXPECTED.w) < 2e-3 &&
    Math.abs(b - W1_EXPECTED.b) < 1e-2 &&
    Math.abs(loss - W1_EXPECTED.loss) < 2e-3;
  return { w: +w.toFixed(4), b: +b.toFixed(4), loss: +loss.toFixed(4), ok };
}

// W5: deterministic data and initial weights, identical in every peer (torch_bench.py has the
// same formulas), so that the loss after the 10 warm-up steps can be compared across peers.
export const W5 = { B: 256, IN: 64, HID: 256, OUT: 1, LR: 0.01, WARM: 10, STEPS: 200 };

export function w5Data() {
  const { B, IN, HID } = W5;
  const X = new Float64Array(B * IN);
  const Y = new Float64Array(B);
  for (let i = 0; i < B; i++) {
    for (let j = 0; j < IN; j++) X[i * IN + j] = Math.sin(0.37 * (i * IN + j) + 0.1);
    Y[i] = Math.sin(2 * X[i * IN]) + 0.5 * X[i * IN + 1] * X[i * IN + 2];
  }
  const W1 = new Float64Array(IN * HID);
  for (let i = 0; i < IN; i++)
    for (let j = 0; j < HID; j++) W1[i * HID + j] = 0.125 * Math.sin(1.7 * (i * HID + j) + 0.3);
  const W2 = new Float64Array(HID);
  for (let k = 0; k < HID; k++) W2[k] = 0.0625 * Math.sin(1.3 * k + 0.5);
  return { X, Y, W1, b1: new Float64Array(HID), W2, b2: new Float64Array(1) };
}

// W10: a small CNN training step. Images, labels and initial weights from randomArray, the
// same in every peer (torch_bench.py ports randomArray), so the first loss agrees across peers.
// Shapes are PyTorch's (NCHW images, OIHW conv weight, [classes, features] linear weight).
export const W10 = {
  B: 32,
  C: 3,
  H: 32,
  W: 32,
  OUT: 8,
  K: 3,
  CLASSES: 10,
  LR: 0.01,
  // W5's warm-up: JIT compilers (V8's tiers, WebAssembly's tier-up) settle within 10 steps
  WARM: 10,
  STEPS: 200,
};

export function w10Data() {
  const { B, C, H, W, OUT, K, CLASSES } = W10;
  const features = OUT * (H / 2) * (W / 2);
  const scaled = (n, seed, scale) => randomArray(n, Float32Array, seed).map((v) => v * scale);
  const labels = Array.from(randomArray(B, Float64Array, 14), (v) => Math.floor((v + 1) * 5));
  return {
    X: randomArray(B * C * H * W, Float32Array, 10),
    labels,
    convW: scaled(OUT * C * K * K, 11, 1 / Math.sqrt(C * K * K)),
    convB: scaled(OUT, 12, 0.1),
    linW: scaled(CLASSES * features, 13, 1 / Math.sqrt(features)),
    linB: new Float32Array(CLASSES),
  };
}

// Nested JS arrays (for libraries that want them), from a flat array.
export function toNested(flat, rows, cols) {
  const out = new Array(rows);
  for (let i = 0; i < rows; i++) out[i] = Array.from(flat.subarray(i * cols, (i + 1) * cols));
  return out;
}

// Deterministic pseudo-random numbers in [-1, 1) (for W2-W4 inputs; values do not matter).
export function randomArray(n, Ctor = Float32Array, seed = 12345) {
  const a = new Ctor(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    a[i] = s / 2147483648 - 1;
  }
  return a;
}

export const SIZES = {
  W2: [11, 1000],
  W3: [1_000_000, 10_000_000],
  W4: [128, 512, 1024],
};

export const sizeLabel = (n) => (n >= 1_000_000 ? `${n / 1_000_000}M` : String(n));
