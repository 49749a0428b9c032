import { noGrad } from "@x/autograd";
import { SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../tensor/test/garbage";
import { compileStats } from "../src/compile";
import { CompileError, compile } from "../src/index";
import { bits, bookStep } from "./helpers";

function linearStep() {
  const params = tensor([1.0, 0.5], { requiresGrad: true });
  const optimizer = new SGD([params], { lr: 1e-2 });
  return { params, body: bookStep(params, optimizer) };
}

const x3 = tensor([1, 2, 3]);
const y3 = tensor([2, 4, 7]);
const x5 = tensor([1, 2, 3, 4, 5]);
const y5 = tensor([2, 4, 7, 8, 9]);

describe("compile: guards and recaptures", () => {
  it("a new argument shape captures a new plan; both signatures replay and match eager", () => {
    const eager = linearStep();
    const compiled = linearStep();
    const step = compile(compiled.body);
    const calls: [Tensor, Tensor][] = [
      [x3, y3],
      [x5, y5],
      [x3, y3],
      [x5, y5],
      [x3, y3],
      [x5, y5],
    ];
    let eagerLoss = tensor(0);
    let compiledLoss = tensor(0);
    for (const [x, y] of calls) {
      eagerLoss = eager.body(x, y);
      compiledLoss = step(x, y);
      expect(bits(compiledLoss)).toEqual(bits(eagerLoss));
    }
    expect(bits(compiled.params)).toEqual(bits(eager.params));
    const stats = compileStats(step);
    expect(stats?.captures).toBe(2);
    expect(stats?.replays).toBe(4);
    expect(stats?.plans.size).toBe(2);
  });

  it("dtype, requiresGrad and grad mode are part of the signature", () => {
    const step = compile((x: Tensor) => x.mul(2).add(1));
    step(tensor([1, 2]));
    step(tensor([1, 2], { dtype: "float64" }));
    step(tensor([1, 2], { requiresGrad: true }));
    noGrad(() => step(tensor([1, 2], { requiresGrad: true })));
    expect(compileStats(step)?.plans.size).toBe(4);
    expect(compileStats(step)?.captures).toBe(4);
  });

  it("a call whose ops differ from the plan finishes eagerly (same bits), and the next call captures again", () => {
    const eager = { params: tensor([1.0, 0.5], { requiresGrad: true }) };
    const compiled = { params: tensor([1.0, 0.5], { requiresGrad: true }) };
    let call = 0;
    const make = (state: { params: Tensor }) => (x: Tensor) => {
      const [w, b] = state.params.unbind() as [Tensor, Tensor];
      // control flow on a JavaScript value: the third call squares instead of exponentiating
      const z = w.mul(x).add(b);
      return (call === 2 ? z.square() : z.exp()).sum();
    };
    const step = compile(make(compiled));
    const reference = make(eager);
    for (; call < 5; call++) {
      expect(bits(step(x3))).toEqual(bits(reference(x3)));
    }
    const stats = compileStats(step);
    expect(stats?.eager).toBe(1);
    expect(stats?.captures).toBe(2);
    expect(stats?.replays).toBe(2);
  });

  it("a compiled function called inside another runs inline, in the outer plan", () => {
    const inner = compile((x: Tensor) => x.exp().mul(2));
    const outer = compile((x: Tensor) => inner(x).add(1).sum());
    const expected = bits(x3.exp().mul(2).add(1).sum());
    for (let i = 0; i < 3; i++) expect(bits(outer(x3))).toEqual(expected);
    expect(compileStats(outer)).toMatchObject({ captures: 1, replays: 2, eager: 0 });
    expect(compileStats(inner)).toMatchObject({ captures: 0, replays: 0 });
  });

  it("a value read of an input (not a computed tensor) is allowed inside the step", () => {
    const scale = tensor(3);
    const step = compile((x: Tensor) => x.mul(scale.item<number>()));
    step(x3);
    expect(step(x5).toArray()).toEqual([3, 6, 9, 12, 15]);
    expect(compileStats(step)?.captures).toBe(2);
  });
});

describe("compile: what cannot be captured", () => {
  it("item() of a computed tensor: UNCAPTURABLE_READ naming item", () => {
    const step = compile((x: Tensor) => x.mul(2).sum().item());
    const error = thrownBy(() => step(x3)) as CompileError;
    expect(CompileError.isInstance(error)).toBe(true);
    expect(error.code).toBe("UNCAPTURABLE_READ");
    expect(error.op).toBe("item");
    expect(error.message).toMatch(/^item: .*Hint: .*fallback: "eager"/);
  });

  it("toArray() of a computed tensor with { fallback: 'eager' } runs eagerly with eager's results", () => {
    const step = compile((x: Tensor) => x.mul(2).toArray(), { fallback: "eager" });
    expect(step(x3)).toEqual([2, 4, 6]);
    expect(step(x5)).toEqual([2, 4, 6, 8, 10]);
    expect(step(x3)).toEqual([2, 4, 6]);
    expect(compileStats(step)).toMatchObject({ captures: 0, replays: 0, eager: 3 });
  });

  it("nonzero (an output shape that depends on values): UNCAPTURABLE_OP", () => {
    const step = compile((x: Tensor) => x.sub(2).nonzero());
    const error = thrownBy(() => step(x3)) as CompileError;
    expect(error.code).toBe("UNCAPTURABLE_OP");
    expect(error.op).toBe("nonzero");
  });

  it("an in-place write into a tensor that requires grad: UNCAPTURABLE_INPLACE", () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const step = compile((x: Tensor) => w.mul(x).mul_(2).sum());
    const error = thrownBy(() => step(x3)) as CompileError;
    expect(error.code).toBe("UNCAPTURABLE_INPLACE");
    expect(error.op).toBe("to");
  });

  it("a step whose ops change on every call: RECAPTURE_LIMIT, or eager with the fallback", () => {
    let call = 0;
    const body = (x: Tensor) => (call++ % 2 === 0 ? x.exp() : x.neg()).sum();
    const step = compile(body);
    const error = thrownBy(() => {
      for (let i = 0; i < 40; i++) step(x3);
    }) as CompileError;
    expect(error.code).toBe("RECAPTURE_LIMIT");
    expect(error.op).toBe("compile");
    call = 0;
    const tolerant = compile(body, { fallback: "eager" });
    const results = Array.from({ length: 40 }, () => tolerant(x3).item());
    expect(results.slice(-2).sort()).toEqual([x3.exp().sum().item(), x3.neg().sum().item()].sort());
  });

  it("rejects a non-function and an unknown fallback with INVALID_ARGUMENT", () => {
    const notFunction = thrownBy(() => compile(42 as never)) as CompileError;
    expect(notFunction.code).toBe("INVALID_ARGUMENT");
    expect(notFunction.message).toContain("fn must be a function, but got 42");
    const badFallback = thrownBy(() =>
      compile(() => 0, { fallback: "lazy" as never }),
    ) as CompileError;
    expect(badFallback.code).toBe("INVALID_ARGUMENT");
    expect(badFallback.message).toContain('"lazy"');
  });
});
