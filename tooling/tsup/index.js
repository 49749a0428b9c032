// Shared tsup preset for the @x library packages: ESM + CJS + .d.ts, Node 20 and modern browsers.
/** @param {import("tsup").Options} [overrides] */
export function libraryConfig(overrides = {}) {
  return {
    entry: ["src/index.ts"],
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "es2022",
    platform: "neutral",
    ...overrides,
  };
}
