import { packageProject } from "@x/vitest-config";

// The tests run the BUILT CLI (dist/cli.js) as a subprocess; test/global-setup.ts builds it first.
export default packageProject("cli", {
  globalSetup: ["test/global-setup.ts"],
  testTimeout: 60_000,
  hookTimeout: 120_000,
});
