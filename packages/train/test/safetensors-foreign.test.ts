import { readFileSync } from "node:fs";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  decodeSafetensors,
  encodeSafetensors,
  loadCheckpoint,
  loadParams,
  readSafetensorsHeader,
  saveCheckpoint,
} from "../src/index";
import { expectTrainError, fixture } from "./helpers";

// Files PyTorch users have (fixtures/check_safetensors.py write): an nn.Linear state dict, F16,
// BF16 and I64 tensors, an I64 past int32, a U8 tensor, names like Object.prototype's members.
interface Described {
  tensors: Record<string, { dtype: string; shape: number[]; bytes: number; values: unknown }>;
  metadata: Record<string, string>;
}
const foreign = fixture<{ files: Record<string, Described> }>("torch_foreign.json").files;
const bytesOf = (file: string) =>
  new Uint8Array(readFileSync(new URL(`./fixtures/${file}`, import.meta.url)));

/** The JSON values with the non-finite ones ("Infinity") as numbers, flattened. */
const numbers = (values: unknown): number[] =>
  [values]
    .flat(Number.POSITIVE_INFINITY)
    .map((v) => (typeof v === "string" ? Number(v) : v)) as number[];

/** A safetensors file with `header` and the data bytes `body`. */
function fileOf(header: object, body: number[]): Uint8Array {
  const json = JSON.stringify(header);
  const text = new TextEncoder().encode(json.padEnd(Math.ceil(json.length / 8) * 8));
  const bytes = new Uint8Array(8 + text.length + body.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(text.length), true);
  bytes.set(text, 8);
  bytes.set(body, 8 + text.length);
  return bytes;
}

describe("readSafetensorsHeader lists any valid file without loading it", () => {
  it.each(Object.keys(foreign))("%s", (file) => {
    const want = foreign[file] as Described;
    const header = readSafetensorsHeader(bytesOf(file));
    expect(header.tensors.map((t) => [t.name, t.dtype, t.shape, t.bytes])).toEqual(
      Object.entries(want.tensors).map(([name, t]) => [name, t.dtype, t.shape, t.bytes]),
    );
    expect(header.metadata).toEqual(want.metadata);
  });

  it("says what each dtype loads as (undefined for the ones it cannot load)", () => {
    const loadsAs = (file: string) =>
      Object.fromEntries(
        readSafetensorsHeader(bytesOf(file)).tensors.map((t) => [t.name, t.loadsAs]),
      );
    expect(loadsAs("torch_halves.safetensors")).toEqual({
      half: "float32",
      half_random: "float32",
      brain: "float32",
      brain_random: "float32",
      steps: "int32",
      weight: "float32",
    });
    expect(loadsAs("torch_uint8.safetensors")).toEqual({ image: undefined, bias: "float32" });
  });
});

describe("decodeSafetensors converts F16, BF16 and I64", () => {
  const halves = () => decodeSafetensors(bytesOf("torch_halves.safetensors"));
  const want = (foreign["torch_halves.safetensors"] as Described).tensors;

  it("to exactly the float32 / int32 values torch gives", () => {
    const { tensors } = halves();
    for (const [name, t] of Object.entries(want)) {
      const got = tensors[name] as Tensor;
      expect(got.dtype, name).toBe(t.dtype === "I64" ? "int32" : "float32");
      expect(got.shape, name).toEqual(t.shape);
      const values = [...got.toTypedArray()];
      numbers(t.values).forEach((value, i) => {
        expect(Object.is(values[i], value), `${name}[${i}]: ${values[i]} vs ${value}`).toBe(true);
      });
    }
  });

  it("and says so", () => {
    const { conversions } = halves();
    expect(conversions).toEqual([
      { name: "half", from: "F16", to: "float32" },
      { name: "half_random", from: "F16", to: "float32" },
      { name: "brain", from: "BF16", to: "float32" },
      { name: "brain_random", from: "BF16", to: "float32" },
      { name: "steps", from: "I64", to: "int32" },
    ]);
    const checkpoint = loadCheckpoint(bytesOf("torch_halves.safetensors"));
    expect(checkpoint.conversions).toEqual(conversions);
    expect(checkpoint.params.half?.dtype).toBe("float32");
    expect(loadCheckpoint(bytesOf("torch_linear.safetensors")).conversions).toEqual([]);
  });

  it("NaN halves and bfloat16s load as NaN", () => {
    const { tensors: nan } = decodeSafetensors(
      fileOf(
        {
          h: { dtype: "F16", shape: [1], data_offsets: [0, 2] },
          b: { dtype: "BF16", shape: [1], data_offsets: [2, 4] },
        },
        [0x00, 0x7e, 0xc0, 0x7f],
      ),
    );
    expect(nan.h?.toArray()).toEqual([Number.NaN]);
    expect(nan.b?.toArray()).toEqual([Number.NaN]);
  });
});

describe("tensors that cannot be loaded get their own error, not CHECKPOINT_INVALID", () => {
  it("an I64 value outside the int32 range (VALUE_OUT_OF_RANGE)", () => {
    expectTrainError(
      () => loadCheckpoint(bytesOf("torch_i64_overflow.safetensors")),
      "VALUE_OUT_OF_RANGE",
      'loadCheckpoint: tensor "position_ids" of dtype "I64" holds 2147483648 at flat index 3, outside the int32 range [-2147483648, 2147483647] that I64 tensors load into. Hint: store it as F64 (in PyTorch: tensor.double()) or bring its values into the int32 range.',
    );
  });

  it("an I64 value below the int32 range, and the extremes that fit", () => {
    const i64 = (values: bigint[]) => {
      const body = new Uint8Array(8 * values.length);
      const view = new DataView(body.buffer);
      values.forEach((v, i) => {
        view.setBigInt64(8 * i, v, true);
      });
      const header = {
        n: { dtype: "I64", shape: [values.length], data_offsets: [0, body.length] },
      };
      return fileOf(header, [...body]);
    };
    const extremes = [-(2n ** 31n), 2n ** 31n - 1n, -1n, 0n];
    expect(decodeSafetensors(i64(extremes)).tensors.n?.toArray()).toEqual(extremes.map(Number));
    expect(() => decodeSafetensors(i64([5n, -(2n ** 31n) - 1n]))).toThrow(
      'decodeSafetensors: tensor "n" of dtype "I64" holds -2147483649 at flat index 1, outside the int32 range',
    );
    expect(() => decodeSafetensors(i64([2n ** 32n]))).toThrow("holds 4294967296 at flat index 0");
  });

  it("a dtype it does not load (UNSUPPORTED_DTYPE, naming the tensor and the dtypes it loads)", () => {
    expectTrainError(
      () => decodeSafetensors(bytesOf("torch_uint8.safetensors")),
      "UNSUPPORTED_DTYPE",
      'decodeSafetensors: tensor "image" has dtype "U8", which @x/train cannot load; it loads F32, F64, I32, BOOL, F16 and BF16 (as float32), I64 (as int32). Hint: convert the tensor before saving it (in PyTorch: tensor.float() or tensor.int()).',
    );
  });
});

describe("tensors and metadata named like Object.prototype's members", () => {
  const names = ["__proto__", "constructor", "toString", "hasOwnProperty"];

  it("load from a file torch wrote", () => {
    const { tensors, metadata } = decodeSafetensors(bytesOf("torch_proto.safetensors"));
    expect(Object.keys(tensors)).toEqual(names);
    expect(Object.hasOwn(tensors, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(names.map((name) => (tensors[name] as Tensor).toArray())).toEqual([
      [1, 2],
      [3],
      [4],
      [5],
    ]);
    expect(Object.entries(metadata)).toEqual([
      ["__proto__", "kept"],
      ["format", "pt"],
    ]);
  });

  it("round-trip through encodeSafetensors and saveCheckpoint", () => {
    const params: Record<string, Tensor> = {};
    names.forEach((name, i) => {
      Object.defineProperty(params, name, { value: tensor([i]), enumerable: true });
    });
    const metadata = JSON.parse('{"__proto__": "meta"}') as Record<string, string>;
    const decoded = decodeSafetensors(encodeSafetensors(params, metadata));
    expect(Object.keys(decoded.tensors)).toEqual(names);
    expect(Object.entries(decoded.metadata)).toEqual([["__proto__", "meta"]]);
    const loaded = loadCheckpoint(saveCheckpoint({ params, metadata }));
    expect(Object.keys(loaded.params)).toEqual(names);
    expect(names.map((name) => (loaded.params[name] as Tensor).toArray())).toEqual([
      [0],
      [1],
      [2],
      [3],
    ]);
    expect(Object.entries(loaded.metadata)).toEqual([["__proto__", "meta"]]);
  });

  it("loadParams copies them, and does not mistake inherited members for tensors", () => {
    const source = decodeSafetensors(bytesOf("torch_proto.safetensors")).tensors;
    const target: Record<string, Tensor> = {};
    names.forEach((name) => {
      Object.defineProperty(target, name, {
        value: tensor(name === "__proto__" ? [0, 0] : [0]),
        enumerable: true,
      });
    });
    loadParams(target, source);
    expect(names.map((name) => (target[name] as Tensor).toArray())).toEqual([
      [1, 2],
      [3],
      [4],
      [5],
    ]);
    expectTrainError(
      () => loadParams({ constructor: tensor([0]) }, {}),
      "PARAM_MISMATCH",
      "loadParams: the names differ, missing [constructor] and unexpected [] (target has [constructor]). Hint: save and load with the same names, or pass { strict: false }.",
    );
  });
});
