import { libraryConfig } from "@x/tsup-config";
import { defineConfig } from "tsup";

// Two entry points: the modules (`@x/nn`) and the functions (`@x/nn/functional`). Shared code is
// split into a common chunk in both formats, so both entries use the same classes and errors.
export default defineConfig(
  libraryConfig({ entry: ["src/index.ts", "src/functional.ts"], splitting: true }),
);
