import { libraryConfig } from "@x/tsup-config";
import { defineConfig } from "tsup";

// Two entry points: the browser-safe core, and `@x/train/node` (file I/O). Shared code is split
// into a common chunk in both formats, so both entries use the same classes.
export default defineConfig(
  libraryConfig({ entry: ["src/index.ts", "src/node.ts"], splitting: true, external: [/^node:/] }),
);
