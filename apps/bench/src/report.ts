import type { Measurement } from "./peers";

/** A table row: which measurement, how to read it, and the target of issue 8 if any. */
interface RowSpec {
  workload: string;
  size: string;
  label: string;
  lowerIsBetter: boolean;
  /** The workload whose peer figures the row shows (a compiled variant beside the peers' runs). */
  peersFrom?: string;
  /** Target as text, and a test of our median (and the PyTorch median, or every peer's cell). */
  target?: {
    text: string;
    met(ours: number, pytorch: number | undefined, cells: Record<string, Cell>): boolean;
  };
}

const atMost = (limit: number, unit: string) => ({
  text: `≤ ${limit} ${unit}`,
  met: (ours: number) => ours <= limit,
});
const atLeast = (limit: number, unit: string) => ({
  text: `≥ ${limit.toLocaleString("en-US")} ${unit}`,
  met: (ours: number) => ours >= limit,
});

/** Issue 17's target for the indexing workload: no slower than PyTorch in the same run. */
const notSlowerThanPyTorch = {
  text: "≤ PyTorch",
  met: (ours: number, pytorch: number | undefined) => pytorch !== undefined && ours <= pytorch,
};

const ROWS: RowSpec[] = [
  {
    workload: "W1_thermo_sgd",
    size: "5000ep",
    label: "W1 book loop, 5000 epochs (ms)",
    lowerIsBetter: true,
    target: {
      text: "≥ 30× faster than PyTorch",
      met: (ours, pytorch) => pytorch !== undefined && pytorch / ours >= 30,
    },
  },
  {
    workload: "W2_add_overhead",
    size: "11",
    label: "W2 add, 11 elements (µs/op)",
    lowerIsBetter: true,
    target: atMost(0.15, "µs"),
  },
  {
    workload: "W2_add_overhead",
    size: "1000",
    label: "W2 add, 1000 elements (µs/op)",
    lowerIsBetter: true,
  },
  {
    workload: "W3_mul_add",
    size: "1M",
    label: "W3 a*b+c, 1M, fresh outputs (Melem/s)",
    lowerIsBetter: false,
    target: atLeast(1000, "Melem/s"),
  },
  {
    workload: "W3_mul_add",
    size: "10M",
    label: "W3 a*b+c, 10M, fresh outputs (Melem/s)",
    lowerIsBetter: false,
  },
  {
    workload: "W3_mul_add_yielding",
    size: "1M",
    label: "W3 a*b+c, 1M, event-loop turn between calls (Melem/s)",
    lowerIsBetter: false,
    target: atLeast(1000, "Melem/s"),
  },
  {
    workload: "W3_mul_add_yielding",
    size: "10M",
    label: "W3 a*b+c, 10M, event-loop turn between calls (Melem/s)",
    lowerIsBetter: false,
  },
  {
    workload: "W3_mul_add_prealloc",
    size: "1M",
    label: "W3 a*b+c, 1M, preallocated (Melem/s)",
    lowerIsBetter: false,
  },
  {
    workload: "W3_mul_add_prealloc",
    size: "10M",
    label: "W3 a*b+c, 10M, preallocated (Melem/s)",
    lowerIsBetter: false,
  },
  ...["1M", "10M"].map(
    (size): RowSpec => ({
      workload: "W3_mul_add_compiled",
      size,
      label: `W3 a*b+c, ${size}, compiled (Melem/s; peers: fresh outputs)`,
      lowerIsBetter: false,
      peersFrom: "W3_mul_add",
      ...(size === "1M" ? { target: atLeast(1500, "Melem/s") } : {}),
    }),
  ),
  { workload: "W4_matmul", size: "128", label: "W4 matmul 128 (GFLOP/s)", lowerIsBetter: false },
  {
    workload: "W4_matmul",
    size: "512",
    label: "W4 matmul 512 (GFLOP/s)",
    lowerIsBetter: false,
    target: atLeast(40, "GFLOP/s"),
  },
  { workload: "W4_matmul", size: "1024", label: "W4 matmul 1024 (GFLOP/s)", lowerIsBetter: false },
  {
    workload: "W5_mlp_step",
    size: "64-256-1_b256",
    label: "W5 MLP 64-256-1 step, batch 256 (ms/step)",
    lowerIsBetter: true,
    target: atMost(1.0, "ms"),
  },
  {
    workload: "W5_mlp_step_compiled",
    size: "64-256-1_b256",
    label: "W5 MLP 64-256-1 step, batch 256, compiled (ms/step; peers: eager)",
    lowerIsBetter: true,
    peersFrom: "W5_mlp_step",
    target: {
      text: "≥ 8× faster than PyTorch",
      met: (ours, pytorch) => pytorch !== undefined && pytorch / ours >= 8,
    },
  },
  {
    workload: "W7_indexing",
    size: "slice_1M",
    label: "W7 basic slice x[100:-100] of 1M (µs/op)",
    lowerIsBetter: true,
    target: notSlowerThanPyTorch,
  },
  {
    workload: "W7_indexing",
    size: "mask_select_1M",
    label: "W7 mask select x[mask] of 1M (ms)",
    lowerIsBetter: true,
    target: notSlowerThanPyTorch,
  },
  {
    workload: "W7_indexing",
    size: "index_put_1M",
    label: "W7 masked write x[mask] = 0 of 1M (ms)",
    lowerIsBetter: true,
    target: notSlowerThanPyTorch,
  },
  {
    workload: "W8_softmax",
    size: "256x1000",
    label: "W8 softmax of [256, 1000] along dim -1 (ms)",
    lowerIsBetter: true,
    target: notSlowerThanPyTorch,
  },
  {
    workload: "W9_sorting",
    size: "sort_1M",
    label: "W9 sort of 1M float32, values and indices (ms)",
    lowerIsBetter: true,
    target: notSlowerThanPyTorch,
  },
  {
    workload: "W9_sorting",
    size: "sort_stable_1M",
    label: "W9 stable sort of 1M float32 (ms)",
    lowerIsBetter: true,
    target: notSlowerThanPyTorch,
  },
  {
    workload: "W9_sorting",
    size: "topk_1M",
    label: "W9 topk(10) of 1M float32 (ms)",
    lowerIsBetter: true,
    target: notSlowerThanPyTorch,
  },
  {
    workload: "W10_cnn_step",
    size: "conv3x3x8_b32_32x32",
    label: "W10 CNN training step, conv 3×3×8, batch 32 of 32×32 (ms/step)",
    lowerIsBetter: true,
    // tfjs-wasm 4.22 has no Conv2DBackpropFilter kernel: without its figure, PyTorch decides.
    target: {
      text: "faster than PyTorch and tfjs-wasm",
      met: (ours, pytorch, cells) =>
        pytorch !== undefined &&
        ours < pytorch &&
        (cells["tfjs-wasm"] === undefined || ours < cells["tfjs-wasm"].median),
    },
  },
  {
    workload: "W6_memory",
    size: "1000k_epochs",
    label: "W6 RSS growth, 2nd half of 1M W1 epochs (MB)",
    lowerIsBetter: true,
    target: atMost(20, "MB (flat)"),
  },
  {
    workload: "W6_memory",
    size: "20k_epochs",
    label: "W6 RSS growth, 2nd half of 20k W1 epochs (MB)",
    lowerIsBetter: true,
  },
  ...["1M", "10M"].flatMap((size): RowSpec[] => [
    { workload: "D1_csv_load", size, label: `D1 CSV load, ${size} rows (ms)`, lowerIsBetter: true },
    {
      workload: "D1_csv_peak_rss",
      size,
      label: `D1 CSV load peak RSS, ${size} rows (MB)`,
      lowerIsBetter: true,
    },
    {
      workload: "D1_csv_rss_per_file",
      size,
      label: `D1 CSV load RSS above baseline, ${size} rows (× file size)`,
      lowerIsBetter: true,
      target: atMost(6, "× file size"),
    },
  ]),
];

/** Median over runs of one peer's value for one row. */
export interface Cell {
  median: number;
  runs: number[];
  /** Max/min of the runs above 1.5: a noisy cell. */
  noisy: boolean;
  /** A run reported a wrong result. */
  wrong: boolean;
}

/** One row of the summary: each peer's cell, the ratios and the target. */
export interface SummaryRow {
  workload: string;
  size: string;
  label: string;
  cells: Record<string, Cell>;
  /** How many times faster @x is than each peer (peer/ours or ours/peer). */
  speedup: Record<string, number>;
  target?: string;
  met?: boolean;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function isWrong(record: Measurement): boolean {
  return record.ok === false || record.check?.ok === false;
}

/** Medians over runs, ratios against each peer and targets, in the row order above. */
export function summarize(records: Measurement[], peers: string[], ours: string): SummaryRow[] {
  const specs = [...ROWS];
  for (const r of records) {
    if (r.workload === "*" || specs.some((s) => s.workload === r.workload && s.size === r.size))
      continue;
    specs.push({
      workload: r.workload,
      size: r.size,
      label: `${r.workload} ${r.size} (${r.unit})`,
      lowerIsBetter: true,
    });
  }
  const rows: SummaryRow[] = [];
  for (const spec of specs) {
    const cells: Record<string, Cell> = {};
    for (const peer of peers) {
      const workload = peer === ours ? spec.workload : (spec.peersFrom ?? spec.workload);
      const mine = records.filter(
        (r) => r.peer === peer && r.workload === workload && r.size === spec.size,
      );
      const runs = mine.map((r) => r.value).filter((v): v is number => typeof v === "number");
      if (runs.length === 0) continue;
      cells[peer] = {
        median: median(runs),
        runs,
        noisy: Math.max(...runs) / Math.min(...runs) > 1.5,
        wrong: mine.some(isWrong),
      };
    }
    if (Object.keys(cells).length === 0) continue;
    const own = cells[ours]?.median;
    const speedup: Record<string, number> = {};
    for (const peer of peers) {
      const other = cells[peer]?.median;
      if (peer === ours || own === undefined || other === undefined || own === 0 || other === 0)
        continue;
      speedup[peer] = spec.lowerIsBetter ? other / own : own / other;
    }
    const row: SummaryRow = {
      workload: spec.workload,
      size: spec.size,
      label: spec.label,
      cells,
      speedup,
    };
    if (spec.target !== undefined && own !== undefined) {
      row.target = spec.target.text;
      row.met = spec.target.met(own, cells.pytorch?.median, cells) && !cells[ours]!.wrong;
    }
    rows.push(row);
  }
  return rows;
}

/** Numbers as the peers' results.md prints them. */
export function formatNumber(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return "0";
  if (a >= 1000) return Math.round(v).toLocaleString("en-US");
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  if (a >= 1) return v.toFixed(2);
  return v.toPrecision(2);
}

function formatCell(cell: Cell | undefined): string {
  if (cell === undefined) return "—";
  return `${formatNumber(cell.median)}${cell.noisy ? " †" : ""}${cell.wrong ? " ✗wrong" : ""}`;
}

/** The summary as one Markdown table: our figure, each peer's, the ratios, the target. */
export function markdownTable(rows: SummaryRow[], peers: string[], ours: string): string {
  const others = peers.filter((p) => p !== ours);
  const header = [
    "workload",
    ours,
    ...others,
    ...others.map((p) => `${ours} vs ${p}`),
    "target (issues 8, 16, 17)",
    "met",
  ];
  const lines = [
    `| ${header.join(" | ")} |`,
    `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
  ];
  for (const row of rows) {
    const ratios = others.map((p) =>
      row.speedup[p] === undefined ? "—" : `${formatNumber(row.speedup[p]!)}×`,
    );
    const met = row.met === undefined ? "" : row.met ? "yes" : "**no**";
    lines.push(
      `| ${[row.label, formatCell(row.cells[ours]), ...others.map((p) => formatCell(row.cells[p])), ...ratios, row.target ?? "", met].join(" | ")} |`,
    );
  }
  return lines.join("\n");
}

/**
 * Our figures recomputed from the process's CPU time (fields `cpu_*` of our records): on a
 * shared machine, wall time also counts the time other tenants held the core.
 */
export function cpuTimeLines(records: Measurement[], ours: string): string[] {
  const lines: string[] = [];
  const groups = new Map<string, number[]>();
  for (const r of records) {
    if (r.peer !== ours) continue;
    for (const [field, value] of Object.entries(r)) {
      if (!field.startsWith("cpu_") || typeof value !== "number") continue;
      const key = `${r.workload} ${r.size}: ${field.slice(4).replaceAll("_", " ")}`;
      groups.set(key, [...(groups.get(key) ?? []), value]);
    }
  }
  for (const [key, values] of groups) lines.push(`- ${key} = ${formatNumber(median(values))}`);
  return lines;
}
