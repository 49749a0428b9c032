// Copied from shared/bench-peers (the peers' harness); keep it in sync with that copy.
// Workloads for TensorFlow.js, shared by tfjs_cpu_bench.mjs and tfjs_wasm_bench.mjs.
//
// Why '@tensorflow/tfjs' (the union package) and not only tfjs-core + a backend: in Node the
// CommonJS bundle of tfjs-core registers neither the gradient functions ("Cannot compute
// gradient: gradient function not found for Mean") nor the chained ops (t.mul(...)), and
// tfjs-core's ESM files cannot be imported by Node (extensionless relative imports). The union
// package's Node bundle registers both. It is pure JS (no native code, no download); the
// backend is still chosen explicitly with tf.setBackend().
import { createRequire } from "node:module";
import {
  checkW1,
  emit,
  guarded,
  now,
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
} from "./harness.mjs";

const require = createRequire(import.meta.url);
export const tf = require("@tensorflow/tfjs");

export async function runTfjs(peer, args, backendNote) {
  const Q = args.quick;
  const base = { backend: tf.getBackend(), note_backend: backendNote };

  // ---------------------------------------------------------------- W1
  if (args.want("W1")) {
    await guarded(peer, "W1_thermo_sgd", "5000ep", "ms_total", "ms", () => {
      const tc = tf.tensor1d(T_C);
      const tun = tf.tidy(() => tf.mul(tf.tensor1d(T_U), 0.1));
      const w = tf.variable(tf.scalar(1));
      const b = tf.variable(tf.scalar(0));
      const lr = tf.scalar(W1_LR);
      let lossv = NaN;
      const run = () => {
        tf.tidy(() => {
          w.assign(tf.scalar(1));
          b.assign(tf.scalar(0));
        });
        for (let e = 1; e <= W1_EPOCHS; e++) {
          tf.tidy(() => {
            const { value, grads } = tf.variableGrads(
              () => tf.mean(tf.square(tf.sub(tf.add(tf.mul(w, tun), b), tc))),
              [w, b],
            );
            w.assign(tf.sub(w, tf.mul(grads[w.name], lr)));
            b.assign(tf.sub(b, tf.mul(grads[b.name], lr)));
            if (e === W1_EPOCHS) lossv = value.dataSync()[0];
          });
        }
      };
      const t = timeReps(run, { minReps: 1, maxReps: 3, budgetMs: Q ? 200 : 3000 });
      emit(peer, "W1_thermo_sgd", "5000ep", "ms_total", t.best, "ms", {
        reps: t.reps,
        check: checkW1(w.dataSync()[0], b.dataSync()[0], lossv),
        note: "tf.variableGrads + assign, each epoch in tf.tidy",
        ...base,
      });
      tf.dispose([tc, tun, w, b, lr]);
    });
  }

  // ---------------------------------------------------------------- W2
  if (args.want("W2")) {
    for (const n of SIZES.W2) {
      await guarded(peer, "W2_add_overhead", n, "us_per_op", "us", () => {
        const a = tf.tensor1d(randomArray(n, Float32Array, 1));
        const b = tf.tensor1d(randomArray(n, Float32Array, 2));
        const r = perOp(
          () => {
            tf.add(a, b).dispose();
          },
          { n: Q ? 2000 : 100000, warm: Q ? 200 : 10000 },
        );
        emit(peer, "W2_add_overhead", n, "us_per_op", r.usPerOp, "us", {
          ops: r.count,
          note: "tf.add(a,b) then dispose()",
          ...base,
        });
        tf.dispose([a, b]);
      });
    }
  }

  // ---------------------------------------------------------------- W3
  if (args.want("W3")) {
    for (const n of SIZES.W3) {
      await guarded(peer, "W3_mul_add", sizeLabel(n), "Melem_per_s", "Melem/s", () => {
        const a = tf.tensor1d(randomArray(n, Float32Array, 1));
        const b = tf.tensor1d(randomArray(n, Float32Array, 2));
        const c = tf.tensor1d(randomArray(n, Float32Array, 3));
        const t = timeReps(
          () => {
            tf.tidy(() => tf.add(tf.mul(a, b), c)).dispose();
          },
          { minReps: 3, maxReps: 10, budgetMs: Q ? 100 : 1000 },
        );
        const s = t.best / 1000;
        emit(peer, "W3_mul_add", sizeLabel(n), "Melem_per_s", n / s / 1e6, "Melem/s", {
          GBps: (n * 16) / s / 1e9,
          ms: t.best,
          reps: t.reps,
          note: "tf.add(tf.mul(a,b),c): two ops, new output each",
          ...base,
        });
        tf.dispose([a, b, c]);
      });
    }
  }

  // ---------------------------------------------------------------- W4
  if (args.want("W4")) {
    for (const n of SIZES.W4) {
      await guarded(peer, "W4_matmul", n, "GFLOP_per_s", "GFLOP/s", () => {
        const A = randomArray(n * n, Float32Array, 1),
          B = randomArray(n * n, Float32Array, 2);
        const a = tf.tensor2d(A, [n, n]),
          b = tf.tensor2d(B, [n, n]);
        let c = null;
        const t = timeReps(
          () => {
            if (c) c.dispose();
            c = tf.matMul(a, b);
          },
          { minReps: 2, maxReps: 10, budgetMs: Q ? 100 : 1500 },
        );
        // spot check a few entries of the last result against a float64 dot product
        const C = c.dataSync();
        let ok = true;
        for (const [i, j] of [
          [0, 0],
          [n - 1, n - 1],
          [n >> 1, 3],
        ]) {
          let s = 0;
          for (let k = 0; k < n; k++) s += A[i * n + k] * B[k * n + j];
          if (Math.abs(C[i * n + j] - s) > 1e-3 * Math.sqrt(n)) ok = false;
        }
        c.dispose();
        emit(peer, "W4_matmul", n, "GFLOP_per_s", (2 * n ** 3) / (t.best / 1000) / 1e9, "GFLOP/s", {
          ms: t.best,
          reps: t.reps,
          warmup_only: t.warmup_only,
          ok,
          ...base,
        });
        tf.dispose([a, b]);
      });
    }
  }

  // ---------------------------------------------------------------- W5
  if (args.want("W5")) {
    await guarded(peer, "W5_mlp_step", "64-256-1_b256", "ms_per_step", "ms", () => {
      const { B, IN, HID, LR, WARM, STEPS } = W5;
      const d = w5Data();
      const X = tf.tensor2d(Float32Array.from(d.X), [B, IN]);
      const Y = tf.tensor2d(Float32Array.from(d.Y), [B, 1]);
      const W1v = tf.variable(tf.tensor2d(Float32Array.from(d.W1), [IN, HID]));
      const b1v = tf.variable(tf.zeros([HID]));
      const W2v = tf.variable(tf.tensor2d(Float32Array.from(d.W2), [HID, 1]));
      const b2v = tf.variable(tf.zeros([1]));
      const opt = tf.train.sgd(LR);
      const lossFn = () => {
        const h = tf.relu(tf.add(tf.matMul(X, W1v), b1v));
        const pred = tf.add(tf.matMul(h, W2v), b2v);
        return tf.mean(tf.square(tf.sub(pred, Y)));
      };
      let last = null;
      const step = () => {
        if (last) last.dispose();
        last = opt.minimize(lossFn, true, [W1v, b1v, W2v, b2v]);
      };
      for (let s = 0; s < WARM; s++) step();
      const loss10 = last.dataSync()[0];
      // At most STEPS steps or ~5 s, whichever comes first (at least 5 steps).
      const t = now();
      let steps = 0;
      while (steps < (Q ? 10 : STEPS) && (steps < 5 || now() - t < (Q ? 200 : 5000))) {
        step();
        steps++;
      }
      const ms = (now() - t) / steps;
      const lossEnd = last.dataSync()[0];
      emit(peer, "W5_mlp_step", "64-256-1_b256", "ms_per_step", ms, "ms", {
        steps,
        loss_at_step10: +loss10.toPrecision(6),
        loss_end: +lossEnd.toPrecision(6),
        ok: lossEnd < loss10,
        note: "relu, tf.train.sgd().minimize()",
        ...base,
      });
      last.dispose();
      opt.dispose();
      tf.dispose([X, Y, W1v, b1v, W2v, b2v]);
    });
  }

  // ---------------------------------------------------------------- W10
  // The same data and weights as the other peers, in TF.js's layouts (NHWC images, HWIO conv
  // weight, the linear weight's rows permuted to the NHWC flattening order), so the losses agree.
  if (args.want("W10")) {
    await guarded(peer, "W10_cnn_step", "conv3x3x8_b32_32x32", "ms_per_step", "ms", () => {
      const { B, C, H, W, OUT, K, CLASSES, LR, WARM, STEPS } = W10;
      const d = w10Data();
      const features = d.linW.length / CLASSES;
      const x = tf.tidy(() => tf.transpose(tf.tensor4d(d.X, [B, C, H, W]), [0, 2, 3, 1]));
      const labels = tf.oneHot(tf.tensor1d(d.labels, "int32"), CLASSES);
      const convW = tf.variable(
        tf.tidy(() => tf.transpose(tf.tensor4d(d.convW, [OUT, C, K, K]), [2, 3, 1, 0])),
      );
      const convB = tf.variable(tf.tensor1d(d.convB));
      const [PH, PW] = [H / 2, W / 2];
      const linW = tf.variable(
        tf.tidy(() =>
          tf.reshape(tf.transpose(tf.tensor4d(d.linW, [CLASSES, OUT, PH, PW]), [2, 3, 1, 0]), [
            features,
            CLASSES,
          ]),
        ),
      );
      const linB = tf.variable(tf.tensor1d(d.linB));
      const opt = tf.train.sgd(LR);
      const lossFn = () => {
        const h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, convW, 1, "same"), convB)), 2, 2, "valid");
        const logits = tf.add(tf.matMul(tf.reshape(h, [B, features]), linW), linB);
        return tf.losses.softmaxCrossEntropy(labels, logits);
      };
      const step = () => {
        const loss = opt.minimize(lossFn, true, [convW, convB, linW, linB]);
        const value = loss.dataSync()[0];
        loss.dispose();
        return value;
      };
      const first = step();
      for (let s = 1; s < WARM; s++) step();
      const times = [];
      let last = first;
      const t0 = now();
      while (times.length < (Q ? 3 : STEPS) && (times.length < 5 || now() - t0 < 5000)) {
        const t = now();
        last = step();
        times.push(now() - t);
      }
      times.sort((a, b) => a - b);
      emit(
        peer,
        "W10_cnn_step",
        "conv3x3x8_b32_32x32",
        "ms_per_step",
        times[times.length >> 1],
        "ms",
        {
          steps: times.length,
          best_ms: times[0],
          loss_at_step1: +first.toPrecision(6),
          loss_end: +last.toPrecision(6),
          ok: last < first,
          note: "tf.conv2d same (NHWC), relu, tf.maxPool, matMul, softmaxCrossEntropy, tf.train.sgd().minimize(); median step",
          ...base,
        },
      );
      opt.dispose();
      tf.dispose([x, labels, convW, convB, linW, linB]);
    });
  }

  // ---------------------------------------------------------------- W6
  // The W1 loop for 100 epochs in three styles; how many tensors stay allocated per epoch.
  if (args.want("W6")) {
    await guarded(peer, "W6_tfjs_memory", "*", "tensors_leaked_per_epoch", "tensors/epoch", () => {
      const EPOCHS = 100;
      const tc = tf.tensor1d(T_C);
      const tun = tf.tidy(() => tf.mul(tf.tensor1d(T_U), 0.1));
      const fwd = (w, b) => tf.mean(tf.square(tf.sub(tf.add(tf.mul(w, tun), b), tc)));
      const styles = {
        variableGrads_no_tidy: (w, b, lr) => {
          const { grads } = tf.variableGrads(() => fwd(w, b), [w, b]);
          w.assign(tf.sub(w, tf.mul(grads[w.name], lr)));
          b.assign(tf.sub(b, tf.mul(grads[b.name], lr)));
        },
        minimize_no_tidy: (w, b, lr, opt) => {
          opt.minimize(() => fwd(w, b), false, [w, b]);
        },
        variableGrads_in_tidy: (w, b, lr) => tf.tidy(() => styles.variableGrads_no_tidy(w, b, lr)),
      };
      for (const [style, epoch] of Object.entries(styles)) {
        const w = tf.variable(tf.scalar(1)),
          b = tf.variable(tf.scalar(0)),
          lr = tf.scalar(W1_LR);
        const opt = tf.train.sgd(W1_LR);
        const before = tf.memory();
        for (let e = 0; e < EPOCHS; e++) epoch(w, b, lr, opt);
        const after = tf.memory();
        const leaked = (after.numTensors - before.numTensors) / EPOCHS;
        emit(peer, "W6_tfjs_memory", style, "tensors_leaked_per_epoch", leaked, "tensors/epoch", {
          numTensors_before: before.numTensors,
          numTensors_after: after.numTensors,
          bytes_leaked_per_epoch: (after.numBytes - before.numBytes) / EPOCHS,
          epochs: EPOCHS,
          ...base,
        });
        opt.dispose();
        tf.dispose([w, b, lr]);
      }
      tf.dispose([tc, tun]);
    });
  }
}
