// Copied from shared/bench-peers (the peers' harness); keep it in sync with that copy.
// TensorFlow.js 4.22 with the WebAssembly backend (@tensorflow/tfjs-backend-wasm), XNNPACK
// kernels compiled to WASM. SIMD is used when Node supports it (Node 20 does).
// Threads: the threaded build spawns its pthread workers from a blob: URL, which Node's
// worker_threads refuse (ERR_WORKER_PATH), so initialisation fails if multithreading is on.
// This script therefore turns WASM_HAS_MULTITHREAD_SUPPORT off (Node reports it off anyway) and
// records one line saying whether the threaded build could start (workload W0_wasm_threads).
// Usage: node tfjs_wasm_bench.mjs [--only W1,W4] [--quick] [--nosimd] [--try-threads]

import { createRequire } from "node:module";
import path from "node:path";
import { emit, parseArgs } from "./harness.mjs";
import { runTfjs, tf } from "./tfjs_common.mjs";

const require = createRequire(import.meta.url);
const wasm = require("@tensorflow/tfjs-backend-wasm");
const args = parseArgs();
const noSimd = args.rest.includes("--nosimd");
const tryThreads = args.rest.includes("--try-threads");
const dist =
  path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") +
  path.sep;
wasm.setWasmPaths(dist);

const detected = {
  simd: await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"),
  threads: await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"),
};
const peer = noSimd ? "tfjs-wasm-nosimd" : "tfjs-wasm";

if (tryThreads) {
  // Separate process recommended: a failed threaded init leaves the backend registry unusable.
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true);
  wasm.setThreadsCount(2);
  let ok = false;
  const msgs = [];
  const origError = console.error,
    origWarn = console.warn;
  console.error = console.warn = (...a) => {
    msgs.push(a.map((x) => String(x && x.stack ? x.stack : x)).join(" "));
  };
  try {
    ok = await tf.setBackend("wasm");
  } catch (e) {
    msgs.push(String(e.stack || e));
  }
  console.error = origError;
  console.warn = origWarn;
  const lines = msgs.join("\n").split("\n");
  const err = lines.find((l) => /Error/.test(l)) || lines[0] || "";
  emit("tfjs-wasm-threads", "W0_wasm_threads", "2", "initialised", ok ? 1 : 0, "bool", {
    detected,
    error: ok ? undefined : err.slice(0, 300),
  });
  process.exit(0);
}

tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
if (noSimd) tf.env().set("WASM_HAS_SIMD_SUPPORT", false);
const ok = await tf.setBackend("wasm");
await tf.ready();
if (!ok || tf.getBackend() !== "wasm")
  throw new Error(`wasm backend did not initialise (backend: ${tf.getBackend()})`);
const note = `XNNPACK/WASM, simd=${!noSimd && detected.simd}, threads=${wasm.getThreadsCount()} (detected simd=${detected.simd}, threads=${detected.threads})`;
await runTfjs(peer, args, note);
