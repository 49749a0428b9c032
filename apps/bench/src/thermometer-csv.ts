import { closeSync, openSync, writeSync } from "node:fs";

/**
 * Writes a thermometer-like CSV of `rows` rows (`t_c,t_u`, three decimals: a sawtooth of `t_u`
 * readings and their Celsius values), 100k rows at a time. Used by workload D1 and by the CLI's
 * memory test.
 */
export function writeThermometerCsv(path: string, rows: number): void {
  const fd = openSync(path, "w");
  try {
    writeSync(fd, "t_c,t_u\n");
    for (let start = 0; start < rows; start += 100_000) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(rows, start + 100_000); i++) {
        const tU = 20 + ((i * 7919) % 70_000) / 1000;
        lines.push(`${((tU - 32) / 1.8).toFixed(3)},${tU.toFixed(3)}\n`);
      }
      writeSync(fd, lines.join(""));
    }
  } finally {
    closeSync(fd);
  }
}
