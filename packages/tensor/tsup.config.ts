import { libraryConfig } from "@x/tsup-config";
import { defineConfig } from "tsup";

// Both entries share one copy of the dispatch seam: code splitting (also for CommonJS) puts the
// shared modules in one chunk, so `@x/tensor` and `@x/tensor/internal` see the same state.
export default defineConfig(
  libraryConfig({ entry: ["src/index.ts", "src/internal.ts"], splitting: true }),
);
