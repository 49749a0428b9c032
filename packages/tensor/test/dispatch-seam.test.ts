/**
 * The dispatch seam: every kernel launch passes one point, with its inputs, output and scalar
 * arguments (what a tracer such as @x/compile needs); the specs carry typed attributes.
 */
import { matmul, type Tensor, tensor, where } from "@x/tensor";
import { type AnyOpSpec, dispatch, opSpecs, setTracer } from "@x/tensor/internal";
import { afterEach, describe, expect, it } from "vitest";

interface Launch {
  op: string;
  inputs: readonly Tensor[];
  output: Tensor;
  attrs: unknown;
  inPlace: boolean;
}

function trace(run: () => void): Launch[] {
  const launches: Launch[] = [];
  setTracer({
    launch: (spec: AnyOpSpec, inputs, output, attrs, inPlace) =>
      void launches.push({ op: spec.name, inputs, output, attrs, inPlace }),
  });
  try {
    run();
  } finally {
    setTracer(null);
  }
  return launches;
}

afterEach(() => setTracer(null));

describe("the tracer sees every kernel launch", () => {
  it("binary ops, with a JS number as a 0-d input holding its value", () => {
    const a = tensor([1, 2, 3]);
    const launches = trace(() => {
      a.add(a);
      a.mul(0.5);
      a.gt(2);
      where(a.gt(1), a, 0);
    });
    expect(launches.map((l) => l.op)).toEqual(["add", "mul", "gt", "gt", "where"]);
    const mul = launches[1] as Launch;
    expect(mul.inputs[0]).toBe(a);
    expect(mul.inputs[1]?.ndim).toBe(0);
    expect(mul.inputs[1]?.item()).toBe(0.5);
    expect(mul.output.toArray()).toEqual([0.5, 1, 1.5]);
    expect((launches[2] as Launch).output.dtype).toBe("bool");
  });

  it("unary ops, reductions, views and matmul, with their attributes", () => {
    const x = tensor([
      [1, -2],
      [3, 4],
    ]);
    const launches = trace(() => {
      x.clamp(-1, 1);
      x.sum(1, true);
      x.t();
      matmul(x, x);
      x.round({ decimals: 1 });
    });
    expect(launches.map((l) => [l.op, l.attrs])).toEqual([
      ["clamp", { min: -1, max: 1 }],
      ["sum", { dims: [1], keepdim: true }],
      ["transpose", { dim0: 0, dim1: 1 }],
      ["matmul", null],
      ["round", { decimals: 1 }],
    ]);
  });

  it("in-place updates write into the target in one launch, the scale as an argument", () => {
    const p = tensor([1, 2, 3]);
    const g = tensor([10, 20, 30]);
    const storage = p.storage;
    const launches = trace(() => {
      p.add_(g, { alpha: -0.5 });
      p.mul_(2);
      p.zero_();
    });
    expect(launches.map((l) => [l.op, l.inPlace])).toEqual([
      ["addScaled", true],
      ["mul", true],
      ["copy", true],
    ]);
    expect((launches[0] as Launch).attrs).toEqual({ alpha: -0.5 });
    for (const launch of launches) expect(launch.output).toBe(p); // no temporary
    expect(p.storage).toBe(storage);
    expect(p.storage.version).toBe(3);
  });

  it("an in-place op whose operand overlaps the target goes through a temporary", () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    const launches = trace(() => x.add_(x.t()));
    expect(launches.map((l) => [l.op, l.inPlace])).toEqual([
      ["transpose", false],
      ["add", true],
      ["to", true],
    ]);
    expect(x.toArray()).toEqual([
      [2, 5],
      [5, 8],
    ]);
  });
});

describe("op specs", () => {
  it("are keyed by their own name, and every one says how its gradient is defined", () => {
    for (const [name, spec] of Object.entries(opSpecs)) {
      expect(spec.name).toBe(name);
      expect(["function", "string"]).toContain(typeof spec.backward);
    }
  });

  it("mark exactly the ops whose output shares its input's storage as views", () => {
    const views = Object.values(opSpecs)
      .filter((spec) => (spec as AnyOpSpec).view === true)
      .map((spec) => spec.name)
      .sort();
    expect(views).toEqual(
      [
        ...[
          "expand",
          "narrow",
          "permute",
          "select",
          "slice",
          "squeeze",
          "transpose",
          "unsqueeze",
          "view",
        ],
        ...["diagonal", "unfold"], // shape ops
      ].sort(),
    );
  });

  it("type their attributes: a wrong attribute does not compile", () => {
    const x = tensor([1, 2, 3]);
    expect(dispatch(opSpecs.clamp, [x], { min: 0, max: 2 }).toArray()).toEqual([1, 2, 2]);
    const wrong = () =>
      // @ts-expect-error clamp's attributes are { min, max }, not { lo }
      dispatch(opSpecs.clamp, [x], { lo: 1 });
    expect(typeof wrong).toBe("function");
  });
});
