// Entry of `pnpm bench`: bundles the TypeScript sources (with the @x packages from their
// sources, through the "@x/source" export condition, so no package build is needed), then runs
// the runner. Arguments are passed on: node scripts/bench.mjs [--smoke] [--runs N] [--only W1]
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const folder = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(folder);
await build({
  entryPoints: { main: "src/main.ts", ours: "src/ours.ts", "csv-load": "src/csv-load.ts" },
  outdir: ".build",
  outExtension: { ".js": ".mjs" },
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  conditions: ["@x/source"],
  logLevel: "warning",
});
await import(pathToFileURL(join(folder, ".build", "main.mjs")).href);
