// Copied from shared/bench-peers (the peers' harness); keep it in sync with that copy.
// TensorFlow.js 4.22 with the pure-JavaScript CPU backend (@tensorflow/tfjs-backend-cpu).
// Usage: node tfjs_cpu_bench.mjs [--only W1,W4] [--quick]
import { parseArgs } from "./harness.mjs";
import { runTfjs, tf } from "./tfjs_common.mjs";

const args = parseArgs();
await tf.setBackend("cpu");
await tf.ready();
if (tf.getBackend() !== "cpu") throw new Error(`backend is ${tf.getBackend()}, wanted cpu`);
await runTfjs("tfjs-cpu", args, "pure JS kernels on Float32Array, single thread");
