/**
 * The softmax family against PyTorch 1.13 (fixtures/softmax.json, written by
 * fixtures/softmax.py): values, dtypes and shapes through the method and the function form.
 *
 * Tolerances. The exp kernel is SLEEF's expf_u10 (what torch vectorises) without fused
 * multiply-adds: within 1 ulp of torch's exp everywhere (bit-equal for about 99% of inputs).
 * Everything around it runs in torch's order and rounding, so a softmax element differs from
 * torch's only through those exp differences: by 1 ulp on these fixtures (on 256k random
 * elements, 1.4% differ, by at most 3 ulps, where an exp difference also moves the sum).
 * logsumexp also sums in @x's order, not torch's (its sum kernel's).
 */
import { readFileSync } from "node:fs";
import * as api from "@x/tensor";
import { describe, expect, it } from "vitest";
import { expf, expInPlace } from "../src/kernels/softmax";
import { SOFTMAX_WASM_BASE64 } from "../src/kernels/wasm/softmax-wasm";
import { decodeData, type TensorJson } from "./fixtures/codec.ts";
import { runSoftmaxCase, type SoftmaxCase, softmaxFixture } from "./fixtures/softmax-table.ts";
import { ulpDistance, ulpMismatches } from "./fixtures/ulps.ts";
import { thrownBy } from "./garbage.ts";

/** Largest distance from torch's softmax, logSoftmax and softmin elements here, in ulps. */
const FAMILY_ULPS = 1;
/** Largest distance from torch's logsumexp here, in ulps. */
const LOGSUMEXP_ULPS = 1;
/** float64: Math.exp (fdlibm) and SLEEF's expd differ in the last bit now and then. */
const FLOAT64_ULPS = 4;

function check(c: SoftmaxCase, functions?: Record<string, unknown>): void {
  if ("error" in c.out) {
    const error = thrownBy(() => runSoftmaxCase(c, functions));
    expect(error).toMatchObject({ code: "INVALID_DTYPE" });
    expect((error as Error).message).toMatch(/is not implemented for int32 tensors/);
    return;
  }
  const float64 = "dtype" in c.out && c.out.dtype === "float64";
  const budget = float64 ? FLOAT64_ULPS : c.op.endsWith("logsumexp") ? LOGSUMEXP_ULPS : FAMILY_ULPS;
  expect(ulpMismatches(runSoftmaxCase(c, functions).output, c.out, budget)).toEqual([]);
}

const cases = softmaxFixture.cases.filter((c) => c.op !== "exp");
const groups = [...new Set(cases.map((c) => c.group))];
const named = (list: SoftmaxCase[]): [string, SoftmaxCase][] => list.map((c) => [c.name, c]);

describe(`softmax family vs PyTorch ${softmaxFixture.torch}`, () => {
  for (const group of groups) {
    describe(group, () => {
      it.each(named(cases.filter((c) => c.group === group)))("%s", (_, c) => check(c));
    });
  }
  describe("function forms", () => {
    it.each(named(cases))("%s", (_, c) => check(c, api as unknown as Record<string, unknown>));
  });
});

describe("the float32 exp kernel", () => {
  const sweep = softmaxFixture.cases.find((c) => c.op === "exp") as SoftmaxCase;
  const inputs = decodeData(sweep.args[0] as TensorJson) as number[];
  const want = decodeData(sweep.out as TensorJson) as number[];

  it("is within 1 ulp of torch.exp from −110 to 95, subnormal results included", () => {
    const far = inputs.filter((x, i) => ulpDistance(expf(x), want[i] as number, "float32") > 1);
    expect(far).toEqual([]);
    expect(inputs.filter((x) => x < -87.4 && x > -103.9).length).toBeGreaterThan(300);
  });

  it("equals torch.exp bit for bit on most inputs", () => {
    const equal = inputs.filter((x, i) => ulpDistance(expf(x), want[i] as number, "float32") === 0);
    expect(equal.length / inputs.length).toBeGreaterThan(0.97);
  });
});

describe("typed errors of the softmax family", () => {
  const x = api.tensor([
    [1, 2],
    [3, 4],
  ]);
  const cases: [string, () => unknown, string, RegExp][] = [
    [
      "a dim out of range",
      () => x.softmax(2),
      "INVALID_DIM",
      /^softmax: dim .*2.*out of range|^softmax: .*\[-2, 1\]/,
    ],
    ["a missing dim", () => api.logSoftmax(x, undefined as never), "INVALID_DIM", /^logSoftmax: /],
    [
      "an unknown dtype option",
      () => x.softmin(1, { dtype: "float16" as never }),
      "INVALID_DTYPE",
      /^softmin: unknown dtype "float16"/,
    ],
    [
      "softmax of int32",
      () => api.softmax(api.tensor([1, 2], { dtype: "int32" }), 0),
      "INVALID_DTYPE",
      /^softmax: softmax is not implemented for int32 tensors \(as in PyTorch\)\. Hint: pass \{ dtype: "float32" \}/,
    ],
    [
      "logsumexp without dims",
      () => x.logsumexp([]),
      "INVALID_DIM",
      /^logsumexp: expected one dim or a non-empty list of dims, but got \[\]\. Hint:/,
    ],
    ["logsumexp over a dim out of range", () => x.logsumexp(-3), "INVALID_DIM", /^logsumexp: /],
    [
      "a non-tensor input",
      () => api.softmax([1, 2] as never, 0),
      "INVALID_ARGUMENT",
      /^softmax: argument 'input' must be a Tensor/,
    ],
  ];
  it.each(cases)("%s", (_, run, code, message) => {
    const error = thrownBy(run);
    expect(error).toMatchObject({ code });
    expect((error as Error).message).toMatch(message);
  });
});

describe("the WebAssembly SIMD kernels", () => {
  it("give the TypeScript kernels' bits, rows padded or not", async () => {
    const { setWasmKernelsEnabled } = await import("../src/kernels/wasm/instance");
    const x = api.randn([5, 37], { generator: new api.Generator(5) }).mul(20);
    const wide = api.randn([3, 64], { generator: new api.Generator(6) }).mul(4);
    const run = () => [x.softmax(1), x.logSoftmax(-1), wide.softmax(1), x.logsumexp(1)];
    const simd = run().map((t) => t.toArray());
    const previous = setWasmKernelsEnabled(false);
    try {
      expect(run().map((t) => t.toArray())).toEqual(simd);
    } finally {
      setWasmKernelsEnabled(previous);
    }
  });

  it("compute the same exp as expf, four lanes at a time", () => {
    const values = Float32Array.from({ length: 4099 }, (_, i) => -110 + (i * 205) / 4098);
    const simd = values.slice();
    expInPlace(simd);
    expect(Array.from(values, expf)).toEqual(Array.from(simd));
  });
});

describe("generated module", () => {
  it("matches softmax.wat (rerun generate.mjs after editing the .wat)", async () => {
    const wabt = await (await import("wabt")).default();
    const source = readFileSync(
      new URL("../src/kernels/wasm/softmax.wat", import.meta.url),
      "utf8",
    );
    const parsed = wabt.parseWat("softmax.wat", source, { simd: true });
    const { buffer } = parsed.toBinary({ log: false, write_debug_names: false });
    parsed.destroy();
    expect(Buffer.from(buffer).toString("base64")).toBe(SOFTMAX_WASM_BASE64);
  });
});
