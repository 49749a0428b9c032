#!/usr/bin/env node
// Reads vitest's JSON report and prints the counts .ci/run ends with: "N passed, N failed".
// A test file that fails before any test runs (import error, syntax error) counts as one failed
// test, so a broken file can never hide in the totals. Skipped/todo tests are reported on a
// separate line (the house rules allow none).
// Usage: node scripts/ci-summary.mjs <vitest-report.json>     (exit 1 if the report is missing)
import { existsSync, readFileSync } from "node:fs";

/** Counts passed and failed tests in a vitest JSON report. */
export function countTests(report) {
  const brokenFiles = (report.testResults ?? []).filter(
    (file) =>
      file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"),
  );
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles.length,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
    brokenFiles: brokenFiles.map((f) => f.name),
  };
}

const path = process.argv[2];
if (!path || !existsSync(path)) {
  console.error(`ci-summary: no vitest JSON report at ${path ?? "(no path given)"}`);
  console.log("0 passed, 0 failed");
  process.exit(1);
}
const counts = countTests(JSON.parse(readFileSync(path, "utf8")));
for (const file of counts.brokenFiles)
  console.error(`ci-summary: test file failed to run: ${file}`);
if (counts.skipped > 0) console.error(`ci-summary: ${counts.skipped} skipped/todo test(s)`);
console.log(`${counts.passed} passed, ${counts.failed} failed`);
