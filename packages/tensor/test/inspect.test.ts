import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { tensor } from "../src/index";

const distEntry = fileURLToPath(new URL("../dist/index.js", import.meta.url));

describe("Node's inspect hook: console.log(t) prints the tensor, not its internals", () => {
  it("util.inspect gives the same text as toString()", () => {
    const t = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(inspect(t)).toBe("tensor([[1., 2.],\n        [3., 4.]])");
    expect(inspect(tensor([0.5]).requiresGrad_())).toBe("tensor([0.5000], requires_grad=True)");
  });

  it("a tensor inside an object or array prints as its text", () => {
    expect(inspect({ w: tensor([1.5, -2]) })).toBe("{ w: tensor([ 1.5000, -2.0000]) }");
    expect(inspect([tensor(3)])).toBe("[ tensor(3.) ]");
  });

  it("console.log of the built package prints the text in a fresh Node process", () => {
    const script = `import(${JSON.stringify(distEntry)}).then(({ tensor }) => console.log(tensor([1, 2]).mul(2)))`;
    const run = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("tensor([2., 4.])\n");
  });
});
