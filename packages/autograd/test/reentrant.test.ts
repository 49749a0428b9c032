/**
 * Backward passes started from inside a tensor hook (PyTorch's reentrant backward), against
 * PyTorch 1.13: fixtures/reentrant.json, written by fixtures/reentrant.py, which runs the same
 * programs. Each pass keeps its own bookkeeping, so an inner pass over nodes that the outer pass
 * is still working through must not disturb it. The values are small integers, compared exactly.
 */
import { type Tensor, tensor } from "@x/tensor";
import { describe, expect, it } from "vitest";
import {
  loadFixture,
  type TensorJson,
  tensorMismatches,
} from "../../tensor/test/fixtures/codec.ts";
import { AutogradError, enableGrad, grad, isGradEnabled } from "../src/index";

type Logged = TensorJson | boolean | null;
interface Case {
  name: string;
  log: [string, Logged][];
  grads: Record<string, TensorJson | null>;
  error: string | null;
}

const fixture = loadFixture<{ torch: string; cases: Case[] }>(
  "./fixtures/reentrant.json",
  import.meta.url,
);

/** What the hooks saw; tensors are copied when logged, as `.grad` is added into in place. */
class Log {
  readonly entries: [string, Tensor | boolean | null][] = [];
  add(label: string, value: Tensor | boolean | null): void {
    this.entries.push([label, typeof value === "boolean" || value === null ? value : snap(value)]);
  }
}

function snap(t: Tensor | null): Tensor | null {
  return t === null ? null : t.detach().clone();
}

interface Outcome {
  leaves: Record<string, Tensor>;
  error: unknown;
}

function caught(run: () => void): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return null;
}

function leaf(value: number): Tensor {
  return tensor(value, { requiresGrad: true }); // float32 0-d, as in reentrant.py
}

/** x (leaf, 3) -> a = x * x -> b = a * 2; the programs backward from b + a. */
function graph(): { x: Tensor; a: Tensor; b: Tensor } {
  const x = leaf(3);
  const a = x.mul(x);
  return { x, a, b: a.mul(2) };
}

/** The programs of reentrant.py, by case name. */
const PROGRAMS: Record<string, (log: Log) => Outcome> = {
  "grad() in a hook over a subgraph the outer pass still uses": (log) => {
    const { x, a, b } = graph();
    b.registerHook((g) => {
      const [inner] = grad(a, x, { retainGraph: true });
      log.add("inner grad(a, x)", inner ?? null);
      return g;
    });
    b.add(a).backward();
    return { leaves: { x }, error: null };
  },

  "backward() in a hook under enable_grad, on another graph sharing the leaf x": (log) => {
    const { x, a, b } = graph();
    const y = leaf(2);
    const stored: (Tensor | null)[] = [];
    b.registerHook((g) => {
      log.add("grad mode in the hook", isGradEnabled());
      enableGrad(() => y.mul(y).mul(y).mul(x).backward());
      log.add("x.grad after the inner backward", x.grad);
      log.add("y.grad after the inner backward", y.grad);
      stored.push(x.grad);
      return g;
    });
    b.add(a).backward();
    log.add("the outer pass added into the tensor the inner one stored", x.grad === stored[0]);
    return { leaves: { x, y }, error: null };
  },

  "backward(retain_graph) in a hook under enable_grad, on the outer pass's graph": (log) => {
    const { x, a, b } = graph();
    b.registerHook((g) => {
      enableGrad(() => a.backward({ retainGraph: true }));
      log.add("x.grad after the inner backward", x.grad);
      return g;
    });
    b.add(a).backward();
    return { leaves: { x }, error: null };
  },

  "nested hooks: a hook's grad() runs a hook that runs grad() again": (log) => {
    const x = leaf(3);
    const h = x.mul(x);
    let chain = h;
    for (let i = 0; i < 40; i++) chain = chain.mul(1); // passes past the engine's linear search
    const a = chain.mul(3);
    const b = a.mul(2);
    a.registerHook((g) => {
      const [inner] = grad(h, x, { retainGraph: true });
      log.add("a: incoming", g);
      log.add("a: grad(h, x)", inner ?? null);
      return g.mul(2);
    });
    b.registerHook((g) => {
      const [inner] = grad(a, x, { retainGraph: true });
      log.add("b: incoming", g);
      log.add("b: grad(a, x)", inner ?? null);
      return g;
    });
    b.add(a).backward();
    return { leaves: { x }, error: null };
  },

  "a hook throws; the same graph (retain_graph) then backwards again": (log) => {
    const { x, a, b } = graph();
    const out = b.add(a);
    let fail = true;
    b.registerHook((g) => {
      if (fail) {
        fail = false;
        throw new Error("hook failed");
      }
      return g;
    });
    const error = caught(() => out.backward({ retainGraph: true }));
    log.add("x.grad after the failed backward", x.grad);
    out.backward();
    return { leaves: { x }, error };
  },

  "backward() without retain_graph in a hook frees a node the outer pass needs": (log) => {
    const { x, a, b } = graph();
    b.registerHook((g) => {
      enableGrad(() => a.backward());
      return g;
    });
    const error = caught(() => b.add(a).backward());
    expect(AutogradError.isInstance(error) && error.code).toBe("BACKWARD_TWICE");
    log.add("x.grad after the failed backward", x.grad);
    x.mul(x).backward(); // a fresh graph still works
    return { leaves: { x }, error };
  },
};

function mismatches(got: Tensor | boolean | null, want: Logged): string[] {
  if (typeof want === "boolean" || want === null || typeof got === "boolean" || got === null)
    return got === want ? [] : [`got ${String(got)}, want ${JSON.stringify(want)}`];
  return tensorMismatches(got, want, "exact");
}

describe(`backward inside hooks matches PyTorch ${fixture.torch} (fixtures/reentrant.json)`, () => {
  it("has a program for every case, and a case for every program", () => {
    expect(Object.keys(PROGRAMS).sort()).toEqual(fixture.cases.map((c) => c.name).sort());
  });

  for (const c of fixture.cases) {
    it(c.name, () => {
      const log = new Log();
      const { leaves, error } = (PROGRAMS[c.name] as (log: Log) => Outcome)(log);
      expect(log.entries.map(([label]) => label)).toEqual(c.log.map(([label]) => label));
      log.entries.forEach(([label, got], i) => {
        expect(mismatches(got, (c.log[i] as [string, Logged])[1]), label).toEqual([]);
      });
      expect(Object.keys(leaves).sort()).toEqual(Object.keys(c.grads).sort());
      for (const [name, want] of Object.entries(c.grads))
        expect(mismatches(snap((leaves[name] as Tensor).grad), want), `${name}.grad`).toEqual([]);
      if (c.error === null) expect(error).toBeNull();
      else
        expect(error instanceof Error && error.message.toLowerCase()).toContain(
          c.error.toLowerCase(),
        );
    });
  }
});
