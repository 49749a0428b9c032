/**
 * @x/tensor on its own: without `import '@x/autograd'` tensors never build a graph, and
 * `backward()` says which import to add. This file must never import @x/autograd (directly or
 * through another package); vitest runs each test file in its own module graph, so other files
 * that do import it cannot leak their hooks in here.
 */
import { cat, matmul, stack, type Tensor, TensorError, tensor, where } from "@x/tensor";
import {
  type AutogradHooks,
  autogradHooks,
  setAutogradHooks,
  setGradMode,
} from "@x/tensor/internal";
import { describe, expect, it } from "vitest";

const NEEDS_AUTOGRAD =
  "backward(): gradients need @x/autograd. Hint: add `import '@x/autograd';` once at your entry point.";

function leaf(values: number[]): Tensor {
  return tensor(values, { requiresGrad: true });
}

/** Every op of the API on tensors that require grad (and one that does not). */
function everything(p: Tensor, q: Tensor): Tensor[] {
  const m = p.reshape([2, 2]);
  return [
    p.add(q),
    p.sub(1),
    p.mul(q),
    p.div(2),
    p.pow(2),
    p.neg(),
    p.abs(),
    p.exp(),
    p.log(),
    p.sqrt(),
    p.square(),
    p.sin(),
    p.cos(),
    p.tanh(),
    p.sigmoid(),
    p.relu(),
    p.clamp(0, 1),
    p.maximum(q),
    p.minimum(q),
    where(p.gt(2), p, q),
    p.sum(),
    p.mean(),
    p.prod(),
    p.var(),
    p.std(),
    p.max(),
    p.max(0).values,
    p.min(0).values,
    m.matmul(m),
    matmul(p, q),
    m.mm(m),
    p.dot(q),
    m,
    p.view([4, 1]),
    m.flatten(),
    m.t(),
    m.transpose(0, 1),
    m.permute(1, 0),
    p.unsqueeze(0),
    p.unsqueeze(0).squeeze(),
    p.expand(3, 4),
    p.narrow(0, 1, 2),
    p.select(0, 1),
    ...p.unbind(),
    ...p.split(2),
    ...p.chunk(2),
    p.indexSelect(0, [0, 2]),
    p.gather(0, [3, 1]),
    cat([p, q]),
    stack([p, q]),
    m.t().contiguous(),
    p.clone(),
    p.double(),
    p.to("float64"),
  ];
}

describe("without @x/autograd", () => {
  it("no autograd hooks are installed", () => {
    expect(autogradHooks()).toBeNull();
  });

  it("ops on tensors that require grad build no graph", () => {
    const p = leaf([1, 2, 3, 4]);
    const q = tensor([4, 3, 2, 1]);
    for (const out of everything(p, q)) {
      expect(out.gradFn).toBeNull();
      expect(out.isLeaf).toBe(true);
      expect(out.requiresGrad).toBe(false);
    }
    expect(p.requiresGrad).toBe(true);
    expect(p.grad).toBeNull();
  });

  it("the values are computed as usual", () => {
    const p = leaf([1, 2]);
    expect(p.mul(3).add(1).toArray()).toEqual([4, 7]);
    expect(p.toString()).toBe("tensor([1., 2.], requires_grad=True)");
    expect(p.mul(2).toString()).toBe("tensor([2., 4.])");
  });

  it("in-place ops on leaves that require grad are allowed and build no graph", () => {
    const p = leaf([1, 2]);
    p.sub_(1)
      .mul_(2)
      .add_(tensor([1, 1]))
      .div_(2)
      .clamp_(0, 10);
    p.zero_()
      .fill_(3)
      .copy_(tensor([5, 6]));
    expect(p.toArray()).toEqual([5, 6]);
    expect(p.requiresGrad).toBe(true);
    expect(p.gradFn).toBeNull();
    expect(p.storage.version).toBe(8);
  });

  it.each<[string, (t: Tensor) => void]>([
    ["backward()", (t) => t.backward()],
    ["backward(gradient)", (t) => t.backward(tensor(1))],
    ["backward(number)", (t) => t.backward(1)],
    ["backward(options)", (t) => t.backward({ retainGraph: true })],
    ["backward(gradient, options)", (t) => t.backward(tensor(1), { createGraph: true })],
  ])("%s throws NEEDS_AUTOGRAD naming the import", (_, call) => {
    const loss = leaf([1, 2]).mul(2).sum();
    let error: unknown;
    try {
      call(loss);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TensorError);
    expect(TensorError.isInstance(error)).toBe(true);
    expect((error as TensorError).code).toBe("NEEDS_AUTOGRAD");
    expect((error as TensorError).message).toBe(NEEDS_AUTOGRAD);
  });

  it("backward() throws NEEDS_AUTOGRAD even on a leaf or a tensor that does not require grad", () => {
    expect(() => leaf([1]).backward()).toThrowError(NEEDS_AUTOGRAD);
    expect(() => tensor(1).backward()).toThrowError(NEEDS_AUTOGRAD);
  });

  it("requiresGrad_, detach, retainGrad and registerHook still behave", () => {
    const t = tensor([1, 2]).requiresGrad_();
    expect(t.requiresGrad).toBe(true);
    expect(t.requiresGrad_(false).requiresGrad).toBe(false);
    const p = leaf([1, 2]);
    const d = p.detach();
    expect(d.requiresGrad).toBe(false);
    expect(d.storage).toBe(p.storage);
    p.retainGrad(); // a leaf keeps its grad anyway: nothing to do
    expect(p.retainsGrad).toBe(false);
    const handle = p.registerHook((g) => g);
    expect(p.gradHooks).toHaveLength(1);
    handle.remove();
    expect(p.gradHooks).toHaveLength(0);
  });
});

describe("the autograd seam", () => {
  it("ops report to installed hooks only for inputs that require grad, and stop when removed", () => {
    const recorded: string[] = [];
    const hooks: AutogradHooks = {
      record: (spec, inputs, output) => {
        expect(inputs.some((t) => t.requiresGrad)).toBe(true);
        output.requiresGrad = true; // what @x/autograd does, so that the next op records too
        recorded.push(spec.name);
      },
      checkInPlace: (op) => void recorded.push(`check ${op}`),
      rebase: () => void recorded.push("rebase"),
      backward: () => void recorded.push("backward"),
    };
    setAutogradHooks(hooks);
    try {
      const p = leaf([1, 2]);
      const plain = tensor([3, 4]);
      plain.add(plain).sum();
      expect(recorded).toEqual([]);
      p.mul(plain).sum().backward();
      expect(recorded).toEqual(["mul", "sum", "backward"]);
      recorded.length = 0;
      setGradMode(false);
      p.mul(plain);
      expect(recorded).toEqual([]);
    } finally {
      setGradMode(true);
      setAutogradHooks(null);
    }
    expect(autogradHooks()).toBeNull();
    expect(() => leaf([1]).sum().backward()).toThrowError(NEEDS_AUTOGRAD);
  });
});
