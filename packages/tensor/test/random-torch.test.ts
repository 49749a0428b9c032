/**
 * @x's random streams against PyTorch 1.13's CPU generator (fixtures/random_torch.json, written
 * by fixtures/random_torch.py with Debian's torch): after the same seed every sampler gives
 * torch's values bit for bit, for float32 and float64, for sizes on both sides of torch's
 * 16-element threshold, and for calls made one after another on the same generator (so the
 * stream position and the cached Box–Muller sample carry over as in torch).
 *
 * Which path each size takes (torch's `normal_kernel`): fewer than 16 values, or a
 * non-contiguous target, draw scalar `normal_distribution<double>` samples (two 53-bit
 * uniforms per pair, the sine half cached); 16 or more contiguous values use Box–Muller over
 * blocks of 16 and redo the last 16. For float32 that block kernel is `normal_fill_16_AVX2`:
 * this Debian build reports "CPU capability usage: AVX2" and runs Cephes' float32 log/sincos
 * with FMA-contracted steps, which `random-avx2.ts` reproduces; a torch on a CPU without AVX2
 * takes the scalar `normal_fill` instead and can differ in the last bit of float32 samples.
 *
 * One knowing departure: float64 normal samples go through float64 `log`, `sin` and `cos`.
 * torch calls glibc's, @x calls the JS engine's (V8's fdlibm port); both are within 1 ulp of
 * the exact value, but they round differently for a few percent of arguments. Those samples
 * are checked to within a few ulp, and most of them are still bit-identical (counted below).
 * float32 samples from the scalar path are computed in float64 and rounded once, so there
 * the difference would have to cross a float32 rounding boundary: all of them match exactly.
 */
import { Generator, rand, randn, type Tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { decodeData, outMismatches, type Tolerance } from "./fixtures/codec.ts";
import {
  type RandomCall,
  type RandomCase,
  randomCases,
  replayCase,
} from "./fixtures/random-torch-cases.ts";

const tensorCases = randomCases
  .map((c) => ({ ...c, calls: c.calls.filter((call) => call.op !== "randomSplit") }))
  .filter((c) => c.calls.length > 0);

/** float64 normal samples, which pass through the platform's float64 log/sin/cos. */
const throughLibm = (call: RandomCall): boolean =>
  (call.op === "randn" || call.op === "normal_") && call.dtype === "float64";

/** A few ulp of the samples' magnitude (|x| < 8). */
const LIBM: Tolerance = { rtol: 4 * 2 ** -52, atol: 8 * 2 ** -52 };

function mismatches(c: RandomCase): string[] {
  const results = replayCase(c);
  return c.calls.flatMap((call, i) =>
    outMismatches(results[i] as Tensor, call.out as never, throughLibm(call) ? LIBM : "exact").map(
      (problem) => `call ${i} (${call.op}): ${problem}`,
    ),
  );
}

describe("random streams: values against PyTorch's CPU generator", () => {
  it.each(tensorCases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    expect(mismatches(c)).toEqual([]);
  });

  it("the fixtures cover every sampler, both dtypes and both normal paths", () => {
    const ops = new Set(tensorCases.flatMap((c) => c.calls.map((call) => call.op)));
    expect([...ops].sort()).toEqual([
      "bernoulli",
      "bernoulli_",
      "normal_",
      "rand",
      "randint",
      "randn",
      "randperm",
      "uniform_",
    ]);
    const randnSizes = tensorCases.flatMap((c) =>
      c.calls.flatMap((call) => (call.op === "randn" ? [call.out.data.length] : [])),
    );
    expect(Math.min(...randnSizes)).toBeLessThan(16);
    expect(Math.max(...randnSizes)).toBeGreaterThanOrEqual(1000);
  });

  it("float64 normal samples are bit-identical to torch's except where the libms round differently", () => {
    let same = 0;
    let total = 0;
    for (const c of tensorCases) {
      const results = replayCase(c);
      c.calls.forEach((call, i) => {
        if (!throughLibm(call)) return;
        const got = (results[i] as Tensor).toTypedArray();
        decodeData(call.out as never).forEach((want, k) => {
          total++;
          if (got[k] === want) same++;
        });
      });
    }
    expect(total).toBeGreaterThan(5000);
    expect(same / total).toBeGreaterThan(0.9);
  });
});

describe("seeds as torch uses them", () => {
  it("a seed of 2^32 or more uses its low 32 bits but is reported whole", () => {
    const wide = new Generator(2 ** 32 + 5);
    expect(wide.initialSeed()).toBe(2 ** 32 + 5);
    expect(Array.from(rand([4], { generator: wide }).toTypedArray())).toEqual(
      Array.from(rand([4], { generator: new Generator(5) }).toTypedArray()),
    );
  });

  it("new Generator() starts from torch.Generator()'s default seed", () => {
    expect(new Generator().initialSeed()).toBe(67280421310721);
  });

  it("manualSeed drops the cached normal sample, as torch's set_current_seed does", () => {
    const g = new Generator(0);
    const first = Array.from(randn([3], { generator: g }).toTypedArray());
    g.manualSeed(0);
    expect(Array.from(randn([3], { generator: g }).toTypedArray())).toEqual(first);
  });
});
