import { TensorError, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { fma32 } from "../src/kernels/fma";

/** Exact float32 rounding of a·b + c via BigInt arithmetic (the reference for fma32). */
function exactFma32(a: number, b: number, c: number): number {
  const SCALE = 300n; // every float32 is an integer multiple of 2^-149; products of 2^-298
  const toFixed = (x: number): bigint => {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, x);
    const bits = view.getUint32(0);
    const exponent = (bits >>> 23) & 0xff;
    const mantissa = BigInt(exponent === 0 ? (bits & 0x7fffff) * 2 : (bits & 0x7fffff) | 0x800000);
    const shift = BigInt(Math.max(exponent, 1) - 150) + SCALE; // value = mantissa · 2^(exponent − 150)
    const magnitude = mantissa << shift;
    return bits >>> 31 ? -magnitude : magnitude;
  };
  const total = toFixed(a) * toFixed(b) + (toFixed(c) << SCALE); // scale 2^-600
  if (total === 0n) return 0;
  const sign = total < 0n ? -1 : 1;
  const magnitude = total < 0n ? -total : total;
  const bits = magnitude.toString(2).length;
  const shift = BigInt(Math.max(bits - 24, 600 - 149)); // keep 24 bits, or stop at subnormals
  let kept = magnitude >> shift;
  const rest = magnitude - (kept << shift);
  const half = 1n << (shift - 1n);
  if (rest > half || (rest === half && (kept & 1n) === 1n)) kept += 1n;
  return sign * Number(kept) * 2 ** (Number(shift) - 600);
}

function randomFloat32(random: () => number): number {
  const exponent = Math.floor(random() * 40) - 20;
  return Math.fround((random() * 2 - 1) * 2 ** exponent);
}

describe("fma32: a·b + c rounded once to float32, as torch's fused CPU kernels", () => {
  it("breaks a float64 double-rounding tie the right way", () => {
    const a = 8 * (1 + 2 ** -15);
    const b = 8 * (1 - 2 ** -15);
    const c = 2 ** 30 + 128; // a·b + c = 2^30 + 192 − 2^-24: just below a float32 tie
    expect(Math.fround(a * b + c)).toBe(2 ** 30 + 256); // two roundings: wrong
    expect(fma32(a, b, c)).toBe(2 ** 30 + 128);
    expect(exactFma32(a, b, c)).toBe(2 ** 30 + 128);
    expect(fma32(-a, b, -c)).toBe(-(2 ** 30 + 128));
    // a·(−b) + c = 2^30 + 320 + 2^-24: just above the tie, where two roundings go to even (256)
    expect(Math.fround(a * -b + (2 ** 30 + 384))).toBe(2 ** 30 + 256);
    expect(fma32(a, -b, 2 ** 30 + 384)).toBe(2 ** 30 + 384);
    expect(exactFma32(a, -b, 2 ** 30 + 384)).toBe(2 ** 30 + 384);
  });

  it("matches exact rounding on 20000 random float32 triples", () => {
    let seed = 12345;
    const random = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    let mismatches = 0;
    for (let i = 0; i < 20000; i++) {
      const [a, b, c] = [randomFloat32(random), randomFloat32(random), randomFloat32(random)];
      if (fma32(a, b, c) !== exactFma32(a, b, c)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it("passes through infinities and NaN", () => {
    expect(fma32(Infinity, 1, 1)).toBe(Infinity);
    expect(fma32(3e38, 10, 0)).toBe(Infinity);
    expect(fma32(Number.NaN, 1, 1)).toBeNaN();
    expect(fma32(0, 1, -0)).toBe(0);
  });
});

describe("fused ops: add/sub with alpha, addcmul, addcdiv", () => {
  const x = tensor([1.5, -2, 0.1]);
  const a = tensor([0.3, 4, -0.7]);
  const b = tensor([2, 0.25, 3]);

  it("add(other, { alpha }) rounds the multiply-add once, like torch", () => {
    const as = a.toArray() as number[];
    const xs = x.toArray() as number[];
    const expected = [0, 1, 2].map((i) => fma32(as[i]!, Math.fround(0.01), xs[i]!));
    expect(x.add(a, { alpha: 0.01 }).toArray()).toEqual(expected);
    expect(x.sub(a, { alpha: -0.01 }).toArray()).toEqual(expected);
    expect(x.add(a).toArray()).toEqual(x.add(a, {}).toArray());
  });

  it("addcmul fuses value·t1·t2 + x; addcdiv is x + value·t1/t2", () => {
    const xs = x.toArray() as number[];
    const as = a.toArray() as number[];
    const bs = b.toArray() as number[];
    const value = Math.fround(-0.5);
    expect(x.addcmul(a, b, { value: -0.5 }).toArray()).toEqual(
      xs.map((c, i) => fma32(Math.fround(value * as[i]!), bs[i]!, c)),
    );
    expect(x.addcdiv(a, b, { value: -0.5 }).toArray()).toEqual(x.add(a.mul(-0.5).div(b)).toArray());
  });

  it("in-place forms write into the tensor and bump its version", () => {
    const target = x.clone();
    const version = target.storage.version;
    target.add_(a, { alpha: 2 }).addcmul_(a, b).addcdiv_(a, b, { value: 3 });
    const expected = x.add(a, { alpha: 2 }).addcmul(a, b).addcdiv(a, b, { value: 3 });
    expect(target.toArray()).toEqual(expected.toArray());
    expect(target.storage.version).toBeGreaterThan(version);
  });

  it("broadcasts like the unfused ops and rejects bad scales", () => {
    expect(tensor([[1], [2]]).add(tensor([1, 2, 3]), { alpha: 2 }).shape).toEqual([2, 3]);
    const error = (() => {
      try {
        x.add(a, { alpha: "2" as never });
      } catch (caught) {
        return caught;
      }
    })();
    expect(TensorError.isInstance(error) && error.message).toBe(
      'add: alpha must be a number, but got "2". Hint: e.g. add(other, { alpha: 0.5 }).',
    );
  });
});
