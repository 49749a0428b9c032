// Shared vitest project settings: resolve @x/* packages to their TypeScript sources (no build needed).
import { defaultClientConditions, defaultServerConditions } from "vite";
import { defineProject } from "vitest/config";

/** @param {string} name @param {import("vitest/config").UserWorkspaceConfig["test"]} [test] */
export function packageProject(name, test = {}) {
  return defineProject({
    // Vite 6+: `conditions` replaces the defaults, so they are spread back in.
    resolve: { conditions: ["@x/source", ...defaultClientConditions] },
    ssr: { resolve: { conditions: ["@x/source", ...defaultServerConditions] } },
    test: { name, include: ["src/**/*.test.ts", "test/**/*.test.ts"], ...test },
  });
}
