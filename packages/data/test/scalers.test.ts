import { type DType, type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { MinMaxScaler, Scale, StandardScaler } from "../src/index";
import fixture from "./fixtures/scalers.json";
import { catchDataError, expectDataError, values } from "./helpers";

type Case = (typeof fixture.cases)[number];

function input(c: Case): Tensor {
  return tensor(c.x, { dtype: c.dtype as DType }).reshape(c.shape);
}

/** Unit roundoff of the case's dtype. */
const eps = (c: Case) => (c.dtype === "float64" ? 2 ** -52 : 2 ** -23);

/** Largest |x| per column (one entry for 1-d data). */
function columnMax(c: Case): number[] {
  const columns = c.shape.length === 2 ? (c.shape[1] as number) : 1;
  const out = new Array<number>(columns).fill(0);
  c.x.forEach((v, i) => {
    out[i % columns] = Math.max(out[i % columns] as number, Math.abs(v));
  });
  return out;
}

/**
 * Expects `actual` to match torch's `expected` element by element within `scale[column]` (the
 * error a few roundings of the inputs can cause) plus 4 roundings of the result itself.
 */
function expectClose(actual: Tensor, expected: number[], c: Case, scale: number[]): void {
  const got = values(actual);
  expect(got.length).toBe(expected.length);
  let worst = 0;
  got.forEach((v, i) => {
    const e = expected[i] as number;
    const tolerance = (scale[i % scale.length] as number) + 4 * eps(c) * Math.abs(e);
    worst = Math.max(worst, Math.abs(v - e) / tolerance);
  });
  expect(worst).toBeLessThanOrEqual(1);
}

describe.each(fixture.cases)("normalisers against PyTorch: $name", (c) => {
  const x = input(c);
  const maxAbs = columnMax(c);

  it("StandardScaler: mean, population std, (x - mean) / std and its inverse", () => {
    const scaler = new StandardScaler().fit(x);
    const { mean, std } = c.standard;
    expect(scaler.mean?.dtype).toBe(c.dtype);
    // torch sums float32 in a cascade, @x/tensor in float64 rounded once: up to 1 ulp apart.
    expectClose(
      scaler.mean as Tensor,
      mean,
      c,
      maxAbs.map((m) => 2 * eps(c) * m),
    );
    expectClose(scaler.std as Tensor, std, c, [0]);
    const y = scaler.transform(x);
    expect(y.shape).toEqual(c.shape);
    expect(y.dtype).toBe(c.dtype);
    expectClose(
      y,
      c.standard.transform,
      c,
      maxAbs.map((m, j) => (4 * eps(c) * m) / (std[j] as number)),
    );
    expectClose(
      scaler.inverseTransform(y),
      c.standard.inverse,
      c,
      maxAbs.map((m) => 8 * eps(c) * m),
    );
    expect(values(new StandardScaler().fitTransform(x))).toEqual(values(y));
  });

  it.each(c.minmax)(
    "MinMaxScaler $range: (x - min) / (max - min) · (high - low) + low and back",
    (m) => {
      const scaler = new MinMaxScaler({ range: m.range as [number, number] });
      expect(scaler.fit(x)).toBe(scaler);
      expect(values(scaler.dataMin as Tensor)).toEqual(m.min);
      expect(values(scaler.dataMax as Tensor)).toEqual(m.max);
      const y = scaler.transform(x);
      expect(values(y)).toEqual(m.transform);
      expect(values(scaler.inverseTransform(y))).toEqual(m.inverse);
    },
  );

  it("Scale: x · factor and back", () => {
    const scale = new Scale(c.scale.factor);
    expect(values(scale.fit(x).transform(x))).toEqual(c.scale.transform);
    expect(values(scale.inverseTransform(scale.transform(x)))).toEqual(c.scale.inverse);
  });
});

describe("normaliser state", () => {
  const x = tensor([
    [1, 10],
    [2, 30],
    [4, 20],
  ]);

  it("round-trips stateDict through JSON and reproduces transform bit for bit", () => {
    for (const make of [
      () => new StandardScaler(),
      () => new MinMaxScaler([-1, 1]),
      () => new Scale(0.1),
    ]) {
      const fitted = make().fit(x);
      const state = JSON.parse(JSON.stringify(fitted.stateDict()));
      const restored = make().loadStateDict(state);
      expect(values(restored.transform(x))).toEqual(values(fitted.transform(x)));
      expect(restored.stateDict()).toEqual(fitted.stateDict());
    }
  });

  it("stores plain numbers and arrays", () => {
    const standard = new StandardScaler().fit(tensor([1, 2, 3, 4]));
    expect(standard.stateDict()).toEqual({
      mean: 2.5,
      std: Math.fround(Math.sqrt(1.25)),
      dtype: "float32",
    });
    expect(new MinMaxScaler().fit(x).stateDict()).toEqual({
      range: [0, 1],
      min: [1, 10],
      max: [4, 30],
      dtype: "float32",
    });
    expect(new Scale(0.5).stateDict()).toEqual({ factor: 0.5 });
    const doubles = new StandardScaler().fit(x.double()).stateDict();
    expect(doubles.dtype).toBe("float64");
  });

  it("loadStateDict takes MinMaxScaler's range from the state", () => {
    const scaler = new MinMaxScaler().loadStateDict({
      range: [-1, 1],
      min: 0,
      max: 4,
      dtype: "float32",
    });
    expect(scaler.range).toEqual([-1, 1]);
    expect(values(scaler.transform(tensor([0, 2, 4])))).toEqual([-1, 0, 1]);
  });

  it("rejects malformed state dicts", () => {
    expectDataError(
      () => new StandardScaler().loadStateDict({ mean: [1, 2], std: [1] } as never),
      "INVALID_STATE",
      'StandardScaler.loadStateDict: statistics must all be numbers, or arrays of numbers of one length, expected { mean, std, dtype } vs got ["mean", "std"]. Hint: pass an object returned by StandardScaler.stateDict().',
    );
    catchDataError(() => new StandardScaler().loadStateDict(null as never), "INVALID_STATE");
    catchDataError(
      () => new StandardScaler().loadStateDict({ mean: 1, std: 1, dtype: "int32" } as never),
      "INVALID_STATE",
    );
    catchDataError(
      () => new StandardScaler().loadStateDict({ mean: [], std: [] } as never),
      "INVALID_STATE",
    );
    expectDataError(
      () => new StandardScaler().loadStateDict({ mean: [0, 1], std: [1, 0], dtype: "float32" }),
      "ZERO_VARIANCE",
      "StandardScaler.loadStateDict: standard deviation of column 1 is 0, expected > 0. Hint: a constant column carries no information; drop it before scaling.",
    );
    expectDataError(
      () => new MinMaxScaler().loadStateDict({ range: [1, 1], min: 0, max: 1, dtype: "float32" }),
      "INVALID_STATE",
      "MinMaxScaler.loadStateDict: range must be [low, high] with finite low < high, but got [1, 1]. Hint: use [0, 1] or [-1, 1].",
    );
    expectDataError(
      () => new Scale(1).loadStateDict({ factor: 0 }),
      "INVALID_STATE",
      "Scale.loadStateDict: factor must be a finite non-zero number, but got 0. Hint: the book scales t_u with new Scale(0.1).",
    );
  });
});

describe("normaliser errors", () => {
  const x = tensor([
    [1, 5, 10],
    [2, 5, 30],
    [4, 5, 20],
  ]);

  it("refuses to transform, invert or save before fit", () => {
    for (const [name, scaler] of [
      ["StandardScaler", new StandardScaler()],
      ["MinMaxScaler", new MinMaxScaler()],
    ] as const) {
      expect(scaler.isFitted).toBe(false);
      for (const method of ["transform", "inverseTransform", "stateDict"] as const) {
        const error = expectDataError(
          () => (method === "stateDict" ? scaler.stateDict() : scaler[method](x)),
          "NOT_FITTED",
          `${name}.${method}: this ${name} is not fitted yet. Hint: call fit(trainingData) (or loadStateDict) first.`,
        );
        expect(error.op).toBe(`${name}.${method}`);
      }
    }
  });

  it("reports a zero-variance column with its index and value", () => {
    const error = expectDataError(
      () => new StandardScaler().fit(x),
      "ZERO_VARIANCE",
      "StandardScaler.fit: standard deviation of column 1 is 0, expected > 0 (every value is 5). Hint: a constant column carries no information; drop it before scaling.",
    );
    expect(error.column).toBe(1);
    const range = expectDataError(
      () => new MinMaxScaler().fit(x),
      "ZERO_VARIANCE",
      "MinMaxScaler.fit: range (max - min) of column 1 is 0, expected > 0 (every value is 5). Hint: a constant column carries no information; drop it before scaling.",
    );
    expect(range.column).toBe(1);
    const flat = expectDataError(
      () => new StandardScaler().fit(tensor([3, 3, 3])),
      "ZERO_VARIANCE",
      "StandardScaler.fit: standard deviation of the data is 0, expected > 0 (every value is 3). Hint: a constant column carries no information; drop it before scaling.",
    );
    expect(flat.column).toBeUndefined();
  });

  it("reports NaN or infinite statistics", () => {
    const error = expectDataError(
      () =>
        new StandardScaler().fit(
          tensor([
            [1, 2],
            [Number.NaN, 3],
          ]),
        ),
      "NOT_FINITE",
      "StandardScaler.fit: mean of column 0 is NaN, expected a finite number. Hint: remove NaN and infinite values from the data first.",
    );
    expect(error.column).toBe(0);
  });

  it("rejects data with the wrong number of columns at transform time", () => {
    const scaler = new StandardScaler().fit(
      tensor([
        [1, 2],
        [3, 5],
      ]),
    );
    expectDataError(
      () => scaler.transform(x),
      "SHAPE_MISMATCH",
      "StandardScaler.transform: expects 2-d data with 2 columns (as fitted), but got shape [3, 3]. Hint: pass [samples, 2] data with the columns in the fitted order.",
    );
    catchDataError(() => scaler.inverseTransform(tensor([1, 2])), "SHAPE_MISMATCH");
  });

  it("rejects inputs that are not 1-d or 2-d tensors with rows", () => {
    expectDataError(
      () => new StandardScaler().fit(tensor([[[1]]])),
      "INVALID_ARGUMENT",
      "StandardScaler.fit: expects 1-d or 2-d data with at least one row, but got shape [1, 1, 1]. Hint: reshape to [samples, features].",
    );
    catchDataError(() => new MinMaxScaler().fit(tensor([])), "INVALID_ARGUMENT");
    expectDataError(
      () => new StandardScaler().fit(tensor(1)),
      "INVALID_ARGUMENT",
      "StandardScaler.fit: expects a tensor with at least one dimension, but got a float32 tensor of shape []. Hint: pass the data as a 1-d or 2-d tensor.",
    );
    catchDataError(() => new StandardScaler().fit([1, 2] as never), "INVALID_ARGUMENT");
    expectDataError(
      () => new Scale(0.1).transform([1, 2] as never),
      "INVALID_ARGUMENT",
      "Scale.transform: expects a tensor, but got [1, 2]. Hint: pass the data as a 1-d or 2-d tensor.",
    );
    expect(new Scale(0.5).transform(tensor(3)).item()).toBe(1.5);
  });

  it("rejects a bad MinMaxScaler range and a bad Scale factor", () => {
    for (const range of [[1, 0], [0, Number.POSITIVE_INFINITY], [0]] as never[]) {
      catchDataError(() => new MinMaxScaler({ range }), "INVALID_ARGUMENT");
    }
    expectDataError(
      () => new MinMaxScaler([2, 2]),
      "INVALID_ARGUMENT",
      "MinMaxScaler: range must be [low, high] with finite low < high, but got [2, 2]. Hint: use [0, 1] or [-1, 1].",
    );
    for (const factor of [0, Number.NaN, Number.POSITIVE_INFINITY]) {
      expectDataError(
        () => new Scale(factor),
        "INVALID_ARGUMENT",
        `Scale: factor must be a finite non-zero number, but got ${factor}. Hint: the book scales t_u with new Scale(0.1).`,
      );
    }
  });
});

describe("normaliser behaviour", () => {
  it("chains fit().transform() and scales validation data with training statistics", () => {
    const train = tensor([1, 2, 3, 4]);
    const scaler = new MinMaxScaler();
    expect(values(scaler.fit(train).transform(tensor([0, 5])))).toEqual(
      [-1 / 3, 4 / 3].map(Math.fround),
    );
  });

  it("converts integer data to float32", () => {
    const ints = tensor([1, 2, 3], { dtype: "int32" });
    const scaler = new StandardScaler().fit(ints);
    expect(scaler.mean?.dtype).toBe("float32");
    expect(scaler.transform(ints).dtype).toBe("float32");
  });

  it("applies 1-d (scalar) statistics to any shape, e.g. a model's [n, 1] output", () => {
    const scaler = new StandardScaler().fit(tensor([0, 2]));
    expect(scaler.inverseTransform(tensor([[1], [-1]])).toArray()).toEqual([[2], [0]]);
  });
});
