import { readFileSync } from "node:fs";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { decodeSafetensors, encodeSafetensors } from "../src/index";
import { expectTrainError, fixture } from "./helpers";

const torchFile = new Uint8Array(
  readFileSync(new URL("./fixtures/torch_written.safetensors", import.meta.url)),
);
const torchValues = fixture<{
  tensors: Record<string, { dtype: string; shape: number[]; values: unknown }>;
  metadata: Record<string, string>;
}>("torch_written.json");
const dtypes: Record<string, string> = {
  F32: "float32",
  F64: "float64",
  I32: "int32",
  BOOL: "bool",
};

/** A file with `header` (an object, or raw text) and `body`; `length` overrides the header length. */
function craft(header: unknown, body = new Uint8Array(0), length?: number): Uint8Array {
  const text = new TextEncoder().encode(
    typeof header === "string" ? header : JSON.stringify(header),
  );
  const bytes = new Uint8Array(8 + text.length + body.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(length ?? text.length), true);
  bytes.set(text, 8);
  bytes.set(body, 8 + text.length);
  return bytes;
}

function rejects(bytes: Uint8Array, message: string): void {
  expectTrainError(
    () => decodeSafetensors(bytes),
    "CHECKPOINT_INVALID",
    `decodeSafetensors: ${message}. Hint: the file is truncated, corrupted or not a .safetensors file; write it again with saveCheckpoint.`,
  );
}

const f32 = (name: string, shape: number[], begin: number, end: number) => ({
  [name]: { dtype: "F32", shape, data_offsets: [begin, end] },
});

describe("safetensors files written by PyTorch (fixtures/check_safetensors.py)", () => {
  const { tensors, metadata } = decodeSafetensors(torchFile);

  it("reads every dtype, shape and value torch wrote", () => {
    expect(Object.keys(tensors)).toEqual(Object.keys(torchValues.tensors));
    for (const [name, want] of Object.entries(torchValues.tensors)) {
      const got = tensors[name] as Tensor;
      expect(got.dtype, name).toBe(dtypes[want.dtype]);
      expect(got.shape, name).toEqual(want.shape);
      expect(got.toArray(), name).toEqual(want.values);
    }
    expect(metadata).toEqual(torchValues.metadata);
  });

  it("writes the same bytes torch's layout has, for the same tensors and metadata", () => {
    expect(encodeSafetensors(tensors, metadata)).toEqual(torchFile);
  });
});

describe("encodeSafetensors / decodeSafetensors", () => {
  it("round-trips F32, F64, I32 and BOOL, 0-d, empty and non-contiguous tensors", () => {
    const w = tensor([
      [1.5, -2.25, 3],
      [4, 5, 6],
    ]);
    const original = {
      w,
      wT: w.t(),
      d: tensor([Math.PI, -0, 1e-300], { dtype: "float64" }),
      i: tensor([-(2 ** 31), 0, 2 ** 31 - 1], { dtype: "int32" }),
      m: tensor([true, false, true]),
      s: tensor(7.25),
      e: tensor([[], []]),
      specials: tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]),
    };
    const bytes = encodeSafetensors(original, { note: "hello", empty: "" });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    const sizes: Record<string, number> = { F64: 8, F32: 4, I32: 4, BOOL: 1 };
    for (const name of Object.keys(original)) {
      const {
        dtype,
        data_offsets: [begin],
      } = header[name];
      expect(begin % (sizes[dtype] as number), `${name} is aligned`).toBe(0);
    }
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ note: "hello", empty: "" });
    for (const [name, t] of Object.entries(original)) {
      const got = tensors[name] as Tensor;
      expect(got.dtype, name).toBe(t.dtype);
      expect(got.shape, name).toEqual(t.shape);
      expect(Object.is(got.toTypedArray()[1], t.toTypedArray()[1]), name).toBe(true);
      expect(got.toArray(), name).toEqual(t.toArray());
    }
  });

  it("lays out the header as the format specifies", () => {
    const bytes = encodeSafetensors({ a: tensor([1, 2]) });
    const header = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const padded = header.padEnd(Math.ceil(header.length / 8) * 8, " ");
    expect(Number(new DataView(bytes.buffer).getBigUint64(0, true))).toBe(padded.length);
    expect(new TextDecoder().decode(bytes.subarray(8, 8 + padded.length))).toBe(padded);
    expect([...bytes.subarray(8 + padded.length)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]);
  });

  it("reads from a Uint8Array that is a window into a larger buffer", () => {
    const bytes = encodeSafetensors({ a: tensor([1, 2]) });
    const larger = new Uint8Array(bytes.length + 5);
    larger.set(bytes, 3);
    const { tensors } = decodeSafetensors(larger.subarray(3, 3 + bytes.length));
    expect(tensors.a?.toArray()).toEqual([1, 2]);
  });

  it("reads any non-zero byte of a BOOL tensor as true", () => {
    const file = craft(
      { m: { dtype: "BOOL", shape: [3], data_offsets: [0, 3] } },
      new Uint8Array([0, 2, 255]),
    );
    expect(decodeSafetensors(file).tensors.m?.toArray()).toEqual([false, true, true]);
  });
});

describe("decodeSafetensors rejects truncated or hostile files with CHECKPOINT_INVALID", () => {
  const body8 = new Uint8Array(8);

  it("fewer than 8 bytes", () => {
    rejects(new Uint8Array(5), "the file is 5 bytes, expected at least 8 (the header length)");
  });
  it("an absurd header length", () => {
    rejects(
      craft({}, body8, 2 ** 40),
      "the header length is 1099511627776 bytes, expected at most 100000000",
    );
  });
  it("a header that runs past the end", () => {
    const file = craft({ a: 1 }).subarray(0, 12);
    rejects(file, "the header of 7 bytes runs past the end of the file, 15 vs 12 bytes");
  });
  it("a header that is not JSON, or not UTF-8", () => {
    expect(() => decodeSafetensors(craft("{nope"))).toThrow(
      "decodeSafetensors: the header is not valid UTF-8 JSON (",
    );
    const bad = craft("{}");
    bad[8] = 0xff;
    expect(() => decodeSafetensors(bad)).toThrow("the header is not valid UTF-8 JSON");
  });
  it("a header that is not an object", () => {
    rejects(craft("[1, 2]"), "the header must be a JSON object, but got an array");
    rejects(craft("42"), "the header must be a JSON object, but got 42");
  });
  it("a dtype that is not a name", () => {
    rejects(craft({ w: 5 }), 'tensor "w" has dtype undefined, expected a dtype name such as "F32"');
    rejects(
      craft({ w: { dtype: 16, shape: [4], data_offsets: [0, 8] } }, body8),
      'tensor "w" has dtype 16, expected a dtype name such as "F32"',
    );
  });
  it("a dtype name it does not know is unsupported (UNSUPPORTED_DTYPE), not corrupted", () => {
    for (const dtype of ["F17", "toString"]) {
      expectTrainError(
        () => decodeSafetensors(craft({ w: { dtype, shape: [4], data_offsets: [0, 8] } }, body8)),
        "UNSUPPORTED_DTYPE",
        `decodeSafetensors: tensor "w" has dtype "${dtype}", which @x/train cannot load; it loads F32, F64, I32, BOOL, F16 and BF16 (as float32), I64 (as int32). Hint: convert the tensor before saving it (in PyTorch: tensor.float() or tensor.int()).`,
      );
    }
  });
  it("a bad shape", () => {
    rejects(
      craft({ w: { dtype: "F32", shape: [2, -1], data_offsets: [0, 8] } }, body8),
      'tensor "w" has shape [2,-1], expected an array of non-negative integers',
    );
    rejects(
      craft({ w: { dtype: "F32", shape: "2", data_offsets: [0, 8] } }, body8),
      'tensor "w" has shape "2", expected an array of non-negative integers',
    );
  });
  it("bad data_offsets", () => {
    rejects(
      craft(f32("w", [2], 8, 0), body8),
      'tensor "w" has data_offsets [8,0], expected [begin, end] with 0 <= begin <= end',
    );
    rejects(
      craft({ w: { dtype: "F32", shape: [2], data_offsets: [0] } }, body8),
      'tensor "w" has data_offsets [0], expected [begin, end] with 0 <= begin <= end',
    );
    rejects(
      craft(f32("w", [2], 0.5, 8.5), body8),
      'tensor "w" has data_offsets [0.5,8.5], expected [begin, end] with 0 <= begin <= end',
    );
  });
  it("offsets that do not match shape × dtype size", () => {
    rejects(
      craft(f32("w", [3], 0, 8), body8),
      'tensor "w" has 8 bytes of data, expected 12 for shape [3] of F32',
    );
    rejects(
      craft(f32("w", [2 ** 40, 2 ** 40], 0, 8), body8),
      'tensor "w" has 8 bytes of data, expected 4.835703278458517e+24 for shape [1099511627776, 1099511627776] of F32',
    );
  });
  it("offsets past the end of the data", () => {
    rejects(
      craft(f32("w", [4], 0, 16), body8),
      'tensor "w" data_offsets [0, 16] run past the end of the data, 16 vs 8 bytes',
    );
  });
  it("overlapping tensors", () => {
    rejects(
      craft({ ...f32("a", [2], 0, 8), ...f32("b", [1], 4, 8) }, body8),
      'tensor "b" data_offsets [4, 8] overlap tensor "a", expected begin 8',
    );
  });
  it("a gap between tensors, or before the first", () => {
    rejects(
      craft(f32("w", [1], 4, 8), body8),
      'tensor "w" data_offsets [4, 8] leave a gap after the header, expected begin 0',
    );
  });
  it("trailing bytes no tensor covers", () => {
    rejects(
      craft(f32("w", [1], 0, 4), body8),
      "the tensors cover 4 of the 8 data bytes, expected all of them",
    );
  });
  it("metadata that is not an object of strings", () => {
    rejects(
      craft({ __metadata__: { epochs: 3 } }),
      '__metadata__ value for "epochs" must be a string, but got 3',
    );
    rejects(
      craft({ __metadata__: ["a"] }),
      "__metadata__ must be an object of strings, but got an array of length 1",
    );
  });
  it("input that is not a Uint8Array (INVALID_OPTION)", () => {
    const call = () => decodeSafetensors([1, 2, 3] as unknown as Uint8Array);
    expect(call).toThrow(
      "decodeSafetensors: bytes must be a Uint8Array, but got an array of length 3. Hint: pass new Uint8Array(arrayBuffer) or the Buffer read from disk.",
    );
    expect(call).toThrow(expect.objectContaining({ code: "INVALID_OPTION" }));
  });
});
