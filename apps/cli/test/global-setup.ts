import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "tsup";
import type { TestProject } from "vitest/node";
import manifest from "../package.json";
import cliConfig from "../tsup.config.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The built CLI the tests run as a subprocess. */
    cliPath: string;
  }
}

const root = fileURLToPath(new URL("..", import.meta.url));

/**
 * Builds the CLI with its tsup config (ESM, shebang) before the tests run it as a subprocess. The
 * @x packages are bundled in from their TypeScript sources (the "@x/source" condition, as for the
 * other projects' tests), so no library build is needed and the tests never see a stale dist;
 * everything else stays an external import as in the published package. Set X_CLI_BIN (e.g. to
 * apps/cli/dist/cli.js after `pnpm build`) to test that exact file instead.
 */
export default async function setup(project: TestProject): Promise<void> {
  const given = process.env.X_CLI_BIN;
  if (given !== undefined && given !== "") {
    const path = resolve(given);
    if (!existsSync(path)) throw new Error(`X_CLI_BIN=${given}: no such file; run the build first`);
    project.provide("cliPath", path);
    return;
  }
  const outDir = resolve(root, "test/dist");
  const base = Array.isArray(cliConfig) ? cliConfig[0] : cliConfig;
  await build({
    ...(typeof base === "object" ? base : {}),
    entry: [resolve(root, "src/cli.ts")],
    outDir,
    sourcemap: false,
    silent: true,
    // tsup reads the dependencies from the working directory's package.json (the root's here).
    external: Object.keys(manifest.dependencies).filter((name) => !name.startsWith("@x/")),
    noExternal: [/^@x\//],
    // The libraries' own CommonJS dependencies (papaparse) get a `require` for Node's built-ins.
    banner: {
      js: `#!/usr/bin/env node\nimport { createRequire as __xRequire } from "node:module";\nconst require = __xRequire(import.meta.url);`,
    },
    esbuildOptions(options) {
      options.conditions = ["@x/source"];
    },
  });
  project.provide("cliPath", resolve(outDir, "cli.js"));
}
