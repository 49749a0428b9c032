import { Console } from "node:console";
import { Writable } from "node:stream";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { tensor } from "../src/index";

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

  it("console.log writes the same text", () => {
    let written = "";
    const stream = new Writable({
      write(chunk, _encoding, done) {
        written += String(chunk);
        done();
      },
    });
    new Console(stream).log(tensor([1, 2]).mul(2));
    expect(written).toBe("tensor([2., 4.])\n");
  });
});
