/** The generated conv module (kernels/wasm/conv-wasm.ts) is conv.wat assembled. */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CONV_WASM_BASE64 } from "../src/kernels/wasm/conv-wasm";

describe("generated conv module", () => {
  it("matches conv.wat (rerun generate.mjs after editing the .wat)", async () => {
    const wabtInit = (await import("wabt")).default;
    const wabt = await wabtInit();
    const source = readFileSync(new URL("../src/kernels/wasm/conv.wat", import.meta.url), "utf8");
    const parsed = wabt.parseWat("conv.wat", source, { simd: true });
    const { buffer } = parsed.toBinary({ log: false, write_debug_names: false });
    parsed.destroy();
    expect(Buffer.from(buffer).toString("base64")).toBe(CONV_WASM_BASE64);
  });

  it("stays small enough to compile synchronously in browsers", () => {
    // Chrome refuses synchronous compilation of modules over 4 KiB on the main thread.
    expect(atob(CONV_WASM_BASE64).length).toBeLessThan(4096);
  });
});
