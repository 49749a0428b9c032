/**
 * Property test (fast-check): random graphs of elementwise ops (broadcasting included),
 * reductions and matmuls, trained for three steps with SGD or Adam, leave the same bits
 * compiled and eager: parameters, their gradients and the loss.
 */
import "@x/autograd";
import { Adam, type Optimizer, SGD } from "@x/optim";
import { type Tensor, tensor } from "@x/tensor";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compile, compileStats } from "../src/compile";
import { bits, visible } from "./helpers";

const RUNS = { numRuns: 60, seed: 1515 };

/** Deterministic values in [-1, 1): the same for the eager and the compiled run. */
function values(count: number, seed: number): number[] {
  return Array.from({ length: count }, (_, i) => (((i + 1) * 7919 * (seed + 3)) % 200) / 100 - 1);
}

function parameters() {
  return {
    w: tensor(values(12, 1), { requiresGrad: true }).reshape(3, 4).detach().requiresGrad_(),
    b: tensor(values(4, 2), { requiresGrad: true }),
    m: tensor(values(8, 3)).reshape(4, 2).detach().requiresGrad_(),
    n: tensor(values(8, 4)).reshape(2, 4).detach().requiresGrad_(),
  };
}
type Params = ReturnType<typeof parameters>;

/** The ops a graph is built from; each maps the running [3, 4] tensor to another. */
const OPS: ((h: Tensor, p: Params, x: Tensor) => Tensor)[] = [
  (h, p) => h.mul(p.w),
  (h, p) => h.add(p.b), // broadcasts [4] over [3, 4]
  (h) => h.tanh(),
  (h) => h.sigmoid(),
  (h, _p, x) => h.sub(x),
  (h, p) => h.matmul(p.m).matmul(p.n),
  (h) => h.mul(h.sum(1, true)), // a reduction broadcast back
  (h) => h.div(h.abs().add(1)),
  (h) => h.add(h.mean(0, true)),
  (h) => h.pow(2).mul(0.1),
];

function run(program: number[], useAdam: boolean, compiled: boolean) {
  const p = parameters();
  const all = [p.w, p.b, p.m, p.n];
  const optimizer: Optimizer = useAdam ? new Adam(all, { lr: 1e-2 }) : new SGD(all, { lr: 1e-2 });
  const body = (x: Tensor) => {
    optimizer.zeroGrad();
    let h = x.mul(p.w); // so that the loss always depends on a parameter
    for (const op of program) h = (OPS[op] as (typeof OPS)[number])(h, p, x);
    const loss = h.mean();
    loss.backward();
    optimizer.step();
    return loss;
  };
  const step = compiled ? compile(body) : body;
  const x = tensor(values(12, 5)).reshape(3, 4);
  let loss = tensor(0);
  for (let i = 0; i < 3; i++) loss = step(x);
  return { seen: visible(all), loss: bits(loss), stats: compiled ? compileStats(step) : undefined };
}

describe("compile: random graphs", () => {
  it("compiled and eager leave the same bits after 3 steps", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: OPS.length - 1 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        (program, useAdam) => {
          const eager = run(program, useAdam, false);
          const compiled = run(program, useAdam, true);
          expect(compiled.seen).toEqual(eager.seen);
          expect(compiled.loss).toEqual(eager.loss);
          expect(compiled.stats?.replays).toBe(2);
        },
      ),
      RUNS,
    );
  });
});
