/** Module's registration, walks, modes and bulk changes, and the containers. */
import {
  Identity,
  Linear,
  Module,
  ModuleDict,
  ModuleList,
  NNError,
  Parameter,
  ReLU,
  Sequential,
  Tanh,
} from "@x/nn";
import { mseLoss } from "@x/nn/functional";
import { ones, type Tensor, tensor, zeros } from "@x/tensor";
import { describe, expect, it } from "vitest";
import { thrownBy } from "../../tensor/test/garbage.ts";
import { Net } from "./models.ts";

const names = (pairs: [string, unknown][]) => pairs.map(([name]) => name);

function codeOf(fn: () => unknown): string {
  const error = thrownBy(fn);
  expect(NNError.isInstance(error)).toBe(true);
  return (error as NNError).code;
}

describe("registration", () => {
  it("fields assigned in the constructor register in assignment order, parameters too", () => {
    class Model extends Module {
      b: Linear;
      a: Parameter;
      constructor() {
        super();
        this.b = new Linear(1, 1);
        this.a = new Parameter(zeros(1));
      }
    }
    const model = new Model();
    expect(names(model.namedParameters())).toEqual(["a", "b.weight", "b.bias"]);
    expect(names(model.namedChildren())).toEqual(["b"]);
  });

  it("integer-like names keep assignment order ('10' after '9', '2' after 'x')", () => {
    const model = new Module();
    for (const name of ["x", "2", "10", "1"]) Reflect.set(model, name, new Identity());
    expect(names(model.namedChildren())).toEqual(["x", "2", "10", "1"]);
  });

  it("reassigning a field replaces the member in place; a non-module is refused", () => {
    const model = new Net();
    const fc1 = new Linear(6, 4, { bias: false });
    model.fc1 = fc1;
    expect(codeOf(() => Reflect.set(model, "flatten", 3))).toBe("INVALID_ATTRIBUTE");
    expect(model.fc1).toBe(fc1);
    expect(names(model.namedChildren()).slice(0, 3)).toEqual(["flatten", "fc1", "block"]);
    const [name, weight] = model.namedParameters()[1] ?? [];
    expect(name).toBe("fc1.weight");
    expect(weight).toBe(fc1.weight);
  });

  it("delete unregisters", () => {
    const model = new Net();
    delete (model as Partial<Net>).block;
    expect(names(model.namedChildren())).not.toContain("block");
    expect(Object.keys(model.stateDict())).not.toContain("block.steps");
  });

  it("a plain tensor assigned to a parameter's name is refused, null unsets it", () => {
    const layer = new Linear(2, 1);
    expect(codeOf(() => Reflect.set(layer, "weight", zeros(1, 2)))).toBe("INVALID_ATTRIBUTE");
    layer.bias = null;
    expect(names(layer.namedParameters())).toEqual(["weight"]);
    expect(layer.toString()).toBe("Linear(in_features=2, out_features=1, bias=False)");
  });

  it("a buffer takes a new tensor and stays a buffer", () => {
    const model = new Module();
    model.registerBuffer("count", zeros(1));
    Reflect.set(model, "count", ones(1));
    expect(model.namedBuffers().map(([n, t]) => [n, t.toArray()])).toEqual([["count", [1]]]);
  });

  it("register* reject bad names and values with typed errors", () => {
    const model = new Net();
    expect(codeOf(() => model.registerBuffer("a.b", zeros(1)))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => model.registerParameter("", null))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => model.registerModule("fc1x", {} as Module))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => model.registerBuffer("fc1", zeros(1)))).toBe("INVALID_ARGUMENT");
    expect(codeOf(() => model.registerParameter("w", zeros(1) as Parameter))).toBe(
      "INVALID_ARGUMENT",
    );
  });

  it("a subclass that redeclares an inherited parameter without `declare` is told how to fix it", () => {
    class Wrong extends Linear {
      // @ts-expect-error TS2612 flags it too; at run time it defines weight = undefined
      weight!: Parameter;
    }
    const error = thrownBy(() => new Wrong(1, 1)) as NNError;
    expect(error.code).toBe("INVALID_ATTRIBUTE");
    expect(error.message).toContain("declare weight");
  });

  it("Parameter shares its data's storage, requires grad and prints as torch's", () => {
    const data = tensor([1, 2]);
    const p = new Parameter(data);
    expect(p.storage).toBe(data.storage);
    expect(p.requiresGrad && p.isLeaf).toBe(true);
    expect(new Parameter(data, false).requiresGrad).toBe(false);
    expect(p.toString()).toBe("Parameter containing:\ntensor([1., 2.], requires_grad=True)");
    expect(codeOf(() => new Parameter([1, 2] as never))).toBe("INVALID_ARGUMENT");
  });
});

describe("walks, modes and bulk changes", () => {
  it("parameters({ recurse: false }) and buffers list own members only; shared ones appear once", () => {
    const shared = new Linear(2, 2);
    const model = new Sequential(shared, new Tanh(), shared);
    expect(names(model.namedParameters())).toEqual(["0.weight", "0.bias"]);
    expect(Object.keys(model.stateDict())).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(new Net().parameters({ recurse: false })).toHaveLength(1);
    expect(names(new Net().namedBuffers())).toEqual(["block.steps", "block.scratch"]);
    expect(model.modules()).toHaveLength(3);
  });

  it("train/eval set every module's mode", () => {
    const model = new Net();
    model.eval();
    expect(model.modules().every((m) => !m.training)).toBe(true);
    model.train();
    expect(model.modules().every((m) => m.training)).toBe(true);
    expect(codeOf(() => model.train("no" as never))).toBe("INVALID_ARGUMENT");
  });

  it("zeroGrad clears or zeroes gradients; requiresGrad_ freezes", () => {
    const model = new Linear(2, 1);
    mseLoss(model.forward(ones(3, 2)), zeros(3, 1)).backward();
    expect(model.weight.grad).not.toBeNull();
    model.zeroGrad({ setToNone: false });
    expect(model.weight.grad?.toArray()).toEqual([[0, 0]]);
    model.zeroGrad();
    expect(model.weight.grad).toBeNull();
    model.requiresGrad_(false);
    expect(model.parameters().every((p) => !p.requiresGrad)).toBe(true);
  });

  it("apply visits children first, then the module; to() casts parameters and float buffers", () => {
    const visited: string[] = [];
    const model = new Net();
    model.apply((m) => visited.push(m.constructor.name));
    expect(visited.slice(0, 4)).toEqual(["Flatten", "Linear", "Linear", "Sigmoid"]);
    expect(visited.at(-1)).toBe("Net");
    model.to("float64");
    expect(model.parameters().every((p) => p.dtype === "float64" && p.requiresGrad)).toBe(true);
    expect(model.parameters().every((p) => p instanceof Parameter)).toBe(true);
    expect(model.buffers().every((b) => b.dtype === "float64")).toBe(true);
    expect(model.fc1.weight.dtype).toBe("float64");
    expect(codeOf(() => model.to("int32"))).toBe("INVALID_DTYPE");
  });

  it("stateDict is detached and loadStateDict copies in place (the same Parameter objects)", () => {
    const source = new Linear(2, 3);
    const target = new Linear(2, 3);
    const weight = target.weight;
    const state = source.stateDict();
    expect(Object.values(state).every((t) => !t.requiresGrad)).toBe(true);
    target.loadStateDict(state);
    expect(target.weight).toBe(weight);
    expect(target.weight.toArray()).toEqual(source.weight.toArray());
    expect(codeOf(() => target.loadStateDict(null as never))).toBe("INVALID_ARGUMENT");
  });

  it("the base forward names the class that lacks one", () => {
    class Empty extends Module {}
    const error = thrownBy(() => new Empty().forward()) as NNError;
    expect(error.code).toBe("NOT_IMPLEMENTED");
    expect(error.message).toContain('module [Empty] is missing the required "forward" function');
  });
});

describe("containers", () => {
  it("Sequential chains forward, indexes, iterates and appends", () => {
    const model = new Sequential(new Linear(1, 13), new Tanh(), new Linear(13, 1));
    expect(model.forward(zeros(11, 1)).shape).toEqual([11, 1]);
    expect(model.length).toBe(3);
    expect(model.at(-1)).toBe(model.at(2));
    expect([...model].map((m) => m.constructor.name)).toEqual(["Linear", "Tanh", "Linear"]);
    model.append(new ReLU());
    expect(names(model.namedChildren())).toEqual(["0", "1", "2", "3"]);
    expect(codeOf(() => model.at(4))).toBe("INDEX_OUT_OF_RANGE");
    expect(codeOf(() => new Sequential(new Tanh(), 3 as never))).toBe("INVALID_ARGUMENT");
  });

  it("ModuleList and ModuleDict hold modules by position and by name", () => {
    const list = new ModuleList([new Tanh()]).append(new ReLU()).extend([new Identity()]);
    expect(list.length).toBe(3);
    expect(list.at(1)).toBeInstanceOf(ReLU);
    expect(codeOf(() => list.forward(zeros(1)))).toBe("NOT_IMPLEMENTED");
    const dict = new ModuleDict({ act: new Tanh() });
    dict.set("out", new Linear(1, 1)).set("act", new ReLU());
    expect(dict.keys()).toEqual(["act", "out"]);
    expect(dict.get("act")).toBeInstanceOf(ReLU);
    expect(dict.delete("act")).toBe(true);
    expect(dict.has("act") || dict.size !== 1).toBe(false);
    expect([...dict].map(([k]) => k)).toEqual(["out"]);
  });
});

describe("a layer given the wrong input shape names itself and both shapes", () => {
  it("Linear(in_features=13) given [11, 1]", () => {
    const model = new Sequential(new Linear(13, 1));
    const error = thrownBy(() => model.forward(zeros(11, 1))) as NNError;
    expect(error.code).toBe("SHAPE_MISMATCH");
    expect(error.message).toContain(
      "Linear(in_features=13, out_features=1, bias=True) expects an input of shape [*, 13]",
    );
    expect(error.message).toContain("but got [11, 1]");
  });

  it("the functional linear names both shapes", () => {
    const layer = new Linear(3, 2);
    const error = thrownBy(() => layer.forward(ones(2) as Tensor)) as NNError;
    expect(error.message).toContain("got [2]");
  });
});
