import { describe, expect, it } from "vitest";
import { version } from "../package.json";
import { runCli } from "./run-cli";

describe("x --help / --version", () => {
  it("prints the version", () => {
    const run = runCli(["--version"]);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
  });
});
