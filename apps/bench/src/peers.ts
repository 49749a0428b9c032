import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** One JSON line of a peer script (see shared/bench-peers/README.md, "Output format"). */
export interface Measurement {
  peer: string;
  workload: string;
  size: string;
  metric: string;
  value: number | null;
  unit: string;
  ok?: boolean;
  error?: string;
  check?: { ok?: boolean };
  [extra: string]: unknown;
}

/** A library measured by one script, run as a child process. */
export interface Peer {
  name: string;
  /** Program and arguments, run from the package folder. */
  command: string[];
  /** Why the peer cannot run here, or null when it can. */
  missing(): string | null;
}

const PYTHON = "/usr/bin/python3"; // Debian's python3 with python3-torch (not a pyenv python)

function resolvable(packageFolder: string, name: string): boolean {
  try {
    createRequire(join(packageFolder, "package.json")).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Our packages and the peers of shared/bench-peers that this package can run. */
export function allPeers(packageFolder: string, smoke: boolean): Peer[] {
  const tfjs = (backend: string, dependency: string): Peer => ({
    name: `tfjs-${backend}`,
    command: ["node", `peers/tfjs_${backend}_bench.mjs`],
    missing: () =>
      resolvable(packageFolder, dependency)
        ? null
        : `${dependency} is not installed (a devDependency of @x/bench: run pnpm install)`,
  });
  return [
    {
      name: "@x",
      command: ["node", "--expose-gc", ".build/ours.mjs", ...(smoke ? ["--smoke"] : [])],
      missing: () => null,
    },
    {
      name: "pytorch",
      command: [PYTHON, "peers/torch_bench.py", "--threads", "default", "--peer", "pytorch"],
      missing: () => {
        if (!existsSync(PYTHON)) return `${PYTHON} not found`;
        const probe = spawnSync(PYTHON, ["-c", "import torch"], { timeout: 60_000 });
        return probe.status === 0
          ? null
          : "python3-torch is not installed (apt-get install python3-torch)";
      },
    },
    tfjs("cpu", "@tensorflow/tfjs"),
    tfjs("wasm", "@tensorflow/tfjs-backend-wasm"),
  ];
}

/** Output of one run of one peer script. */
export interface RunOutput {
  records: Measurement[];
  seconds: number;
  /** Exit problem (non-zero code, timeout) with the last stderr line, or null. */
  failure: string | null;
}

/** Runs a peer script once, keeping the lines that start with `{"peer"`. */
export function runPeer(
  peer: Peer,
  extraArgs: string[],
  cwd: string,
  timeoutMs: number,
): Promise<RunOutput> {
  const [program, ...rest] = peer.command as [string, ...string[]];
  const start = performance.now();
  return new Promise((resolve) => {
    const child = spawn(program, [...rest, ...extraArgs], { cwd });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const records = stdout
        .split("\n")
        .filter((line) => line.startsWith('{"peer"'))
        .map((line) => JSON.parse(line) as Measurement);
      const lastError = stderr.trim().split("\n").pop() ?? "";
      const failure =
        code === 0
          ? null
          : `${signal === "SIGKILL" ? `timed out after ${timeoutMs / 1000} s` : `exit code ${code}`}: ${lastError.slice(0, 200)}`;
      resolve({ records, seconds: (performance.now() - start) / 1000, failure });
    });
  });
}
