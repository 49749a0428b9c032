// `pnpm bench`: runs @x and the installed peers on workloads W1-W10, prints one table and
// writes results/results.{json,md}. `--smoke`: tiny sizes, @x only, checks every result.
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { allPeers, type Measurement, runPeer } from "./peers";
import { cpuTimeLines, markdownTable, summarize } from "./report";

const OURS = "@x";
const USAGE = `usage: pnpm bench [--smoke] [--runs N] [--only W1,W4] [--peers @x,pytorch,tfjs-cpu,tfjs-wasm] [--csv-10m]

  --smoke   tiny sizes, @x only, fails unless every workload gives a correct result (for CI)
  --runs N  runs per peer, interleaved; the table shows medians (default 3, smoke 1)
  --only    a subset of workloads W1..W10, D1
  --csv-10m D1 (CSV loading) also on 10M rows (a 137 MB file, about 30 s a run)
  --peers   which of @x, pytorch, tfjs-cpu, tfjs-wasm to run (default: all that are installed)`;

const { values } = parseArgs({
  options: {
    smoke: { type: "boolean", default: false },
    runs: { type: "string" },
    only: { type: "string" },
    peers: { type: "string" },
    "csv-10m": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const folder = process.cwd(); // scripts/bench.mjs runs from apps/bench
const smoke = values.smoke;
const runs = Number(values.runs ?? (smoke ? 1 : 3));
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`bench: --runs must be a positive integer, got ${values.runs}.\n${USAGE}`);
  process.exit(2);
}
const wanted = smoke ? [OURS] : (values.peers?.split(",").map((p) => p.trim()) ?? null);
const extraArgs = [
  ...(values.only ? ["--only", values.only] : []),
  ...(values["csv-10m"] ? ["--csv-10m"] : []),
];

const peers = [];
for (const peer of allPeers(folder, smoke)) {
  if (wanted !== null && !wanted.includes(peer.name)) continue;
  const missing = peer.missing();
  if (missing === null) peers.push(peer);
  else console.log(`note: skipping ${peer.name}: ${missing}`);
}

const load = { start: loadavg()[0]!, end: 0 };
const records: Measurement[] = [];
const failures: string[] = [];
for (let run = 1; run <= runs; run++) {
  for (const peer of peers) {
    const output = await runPeer(peer, extraArgs, folder, smoke ? 60_000 : 300_000);
    records.push(...output.records.map((r) => ({ ...r, run })));
    if (output.failure !== null) failures.push(`${peer.name} run ${run}: ${output.failure}`);
    console.log(
      `== run ${run}/${runs} ${peer.name.padEnd(10)} ${output.seconds.toFixed(1).padStart(6)} s  ${output.records.length} results${output.failure ? `  FAILED: ${output.failure}` : ""}`,
    );
  }
}
load.end = loadavg()[0]!;

const names = peers.map((p) => p.name);
const rows = summarize(records, names, OURS);
const table = markdownTable(rows, names, OURS);
const machine = `${cpus()[0]?.model ?? "?"}, ${cpus().length} CPUs, Node ${process.version}; load average ${load.start.toFixed(1)} at start, ${load.end.toFixed(1)} at end`;
const legend =
  "Medians over runs (each run: the peers' harness, best of its reps unless noted). `@x vs peer` = how many times faster @x is (>1: @x faster). `†` runs differ by more than 50%, `✗wrong` a result failed its check, `—` not measured.";
const cpuLines = cpuTimeLines(records, OURS);
const cpuNote =
  cpuLines.length === 0
    ? ""
    : `\n\n${OURS} from process CPU time instead of wall time (medians; other tenants' share of the cores excluded):\n${cpuLines.join("\n")}`;
console.log(`\n${table}\n\n${legend}${cpuNote}\nMachine: ${machine}`);
for (const failure of failures) console.log(`failure: ${failure}`);
const errors = records.filter((r) => r.value === null);
for (const e of errors)
  console.log(`error: ${e.peer} ${e.workload} ${e.size}: ${e.error ?? "no value"}`);

if (smoke) {
  const ours = records.filter((r) => r.peer === OURS);
  const bad = ours.filter((r) => r.value === null || r.ok === false || r.check?.ok === false);
  const seen = new Set(ours.map((r) => r.workload.split("_")[0]));
  const expected = values.only?.split(",").map((w) => w.trim().toUpperCase()) ?? [
    "W1",
    "W2",
    "W3",
    "W4",
    "W5",
    "W6",
    "W7",
    "W8",
    "W9",
    "W10",
    "D1",
  ];
  const absent = expected.filter((w) => !seen.has(w));
  if (bad.length > 0 || absent.length > 0 || failures.length > 0) {
    for (const r of bad)
      console.error(`smoke: ${r.workload} ${r.size} failed: ${JSON.stringify(r)}`);
    if (absent.length > 0) console.error(`smoke: no result for ${absent.join(", ")}`);
    process.exit(1);
  }
  console.log(`smoke: ${ours.length} results, all correct`);
} else {
  const results = join(folder, "results");
  mkdirSync(results, { recursive: true });
  const generated = new Date().toISOString();
  const writeAtomically = (name: string, text: string) => {
    const temporary = join(results, `.${name}.${process.pid}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(results, name));
  };
  writeAtomically(
    "results.json",
    `${JSON.stringify({ generated, machine, load, runs, peers: names, rows, records }, null, 1)}\n`,
  );
  writeAtomically(
    "results.md",
    `# @x benchmark\n\nGenerated ${generated} by \`pnpm bench\` (${runs} runs per peer). Raw records: results.json.\n\n${table}\n\n${legend}${cpuNote}\n\nMachine: ${machine}.\n`,
  );
  console.log(`\nwrote ${join("results", "results.md")} and results.json`);
}
