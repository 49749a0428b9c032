import { defineConfig } from "tsup";

// One ESM file with a shebang; dependencies (the @x packages included) stay external imports.
export default defineConfig({
  entry: ["src/cli.ts"],
  format: ["esm"],
  target: "node20",
  platform: "node",
  sourcemap: true,
  clean: true,
  banner: { js: "#!/usr/bin/env node" },
});
