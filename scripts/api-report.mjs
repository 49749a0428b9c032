#!/usr/bin/env node
// Public API reports with API Extractor: one packages/<name>/etc/<name>.api.md per library package
// (plus <name>-<subpath>.api.md per subpath export, like @x/train/node), generated from the built
// .d.ts files and committed.
//   node scripts/api-report.mjs --check    fail when a package's public API differs from its report
//   node scripts/api-report.mjs --update   rewrite the reports (then commit them on purpose)
// Both need a build; the root scripts `pnpm api:check` / `pnpm api:update` build first.
import { existsSync, mkdirSync } from "node:fs";
import { join, relative } from "node:path";
import { Extractor, ExtractorConfig } from "@microsoft/api-extractor";
import { libraryPackages, main, ROOT, requireBuilt, withTempDir } from "./lib/workspace.mjs";

const UPDATE_HINT =
  "Hint: if the change is intended, run `npx -y pnpm@12.4.2 api:update` and commit the report.";

/**
 * Every finding about the API (an unexported type in a public signature, a broken {@link}) is
 * written into the report itself instead of failing the run, so it is reviewed along with the API
 * it belongs to. TSDoc syntax nits (an unescaped "}" in an example) are left out: they are not API.
 */
const inReport = { logLevel: "none", addToApiReportFile: true };

/**
 * The public entry points of a package: "." and each subpath export (e.g. @x/train's "./node"),
 * each with its ESM .d.ts and the name of its report ("train", "train-node").
 */
function entryPoints(pkg) {
  return Object.entries(pkg.manifest.exports ?? {})
    .filter(([subpath, target]) => subpath !== "./package.json" && target?.import?.types)
    .map(([subpath, target]) => ({
      label: subpath === "." ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
      dts: target.import.types,
      reportName:
        subpath === "." ? pkg.short : `${pkg.short}-${subpath.slice(2).replace(/\//g, "-")}`,
    }));
}

/** The API Extractor configuration for one entry point, with the reports' temp copy in `tempDir`. */
function extractorConfig(pkg, entry, tempDir) {
  return ExtractorConfig.prepare({
    configObjectFullPath: undefined,
    packageJsonFullPath: join(pkg.dir, "package.json"),
    configObject: {
      projectFolder: pkg.dir,
      mainEntryPointFilePath: join(pkg.dir, entry.dts),
      newlineKind: "lf",
      compiler: {
        overrideTsconfig: {
          compilerOptions: {
            target: "ES2022",
            lib: ["ES2022", "DOM"],
            module: "ESNext",
            moduleResolution: "Bundler",
            strict: true,
            skipLibCheck: true,
            types: ["node"],
          },
          files: [entry.dts],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: entry.reportName,
        reportFolder: "<projectFolder>/etc/",
        reportTempFolder: join(tempDir, entry.reportName),
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        compilerMessageReporting: { default: { logLevel: "error" } },
        extractorMessageReporting: {
          default: inReport,
          // No @public/@beta tags in this repo, and TSDoc coverage is a review matter, not API shape.
          "ae-missing-release-tag": { logLevel: "none", addToApiReportFile: false },
          "ae-undocumented": { logLevel: "none", addToApiReportFile: false },
          "ae-wrong-input-file-type": { logLevel: "error" },
          // An internal subpath (`@x/tensor/internal`) uses the main entry's public types
          // (`Tensor`, …), which API Extractor cannot follow across entry points.
          ...(entry.label.endsWith("/internal")
            ? { "ae-forgotten-export": { logLevel: "none", addToApiReportFile: false } }
            : {}),
        },
        tsdocMessageReporting: { default: { logLevel: "none", addToApiReportFile: false } },
      },
    },
  });
}

/** Runs API Extractor for one entry point; returns a problem to report, or null. */
function runExtractor(pkg, entry, tempDir, update) {
  const report = relative(ROOT, join(pkg.dir, "etc", `${entry.reportName}.api.md`));
  const result = Extractor.invoke(extractorConfig(pkg, entry, tempDir), {
    localBuild: update,
    printApiReportDiff: !update,
    messageCallback(message) {
      // Our own one-line summary replaces API Extractor's "copy the file" advice.
      if (message.messageId === "console-api-report-not-copied") message.logLevel = "none";
      if (message.messageId === "console-preamble") message.logLevel = "none";
      if (update && message.messageId.startsWith("console-api-report-")) message.logLevel = "none";
    },
  });
  if (result.errorCount > 0) {
    return `${entry.label}: API Extractor reported ${result.errorCount} error(s), see above`;
  }
  if (result.apiReportChanged && !update) {
    return existsSync(join(ROOT, report))
      ? `${entry.label}: public API differs from ${report} (diff above)`
      : `${entry.label}: ${report} does not exist yet`;
  }
  console.log(
    `${entry.label}: ${update && result.apiReportChanged ? "updated" : "up to date"} ${report}`,
  );
  return null;
}

/** Runs API Extractor over every entry point of every library package; throws when a check fails. */
export async function apiReport({ update }) {
  const packages = libraryPackages();
  requireBuilt(packages);
  await withTempDir("api", (tempDir) => {
    const problems = [];
    for (const pkg of packages) {
      if (update) mkdirSync(join(pkg.dir, "etc"), { recursive: true });
      for (const entry of entryPoints(pkg)) {
        const problem = runExtractor(pkg, entry, tempDir, update);
        if (problem) problems.push(problem);
      }
    }
    if (problems.length > 0)
      throw new Error(`api-report:\n  ${problems.join("\n  ")}\n${UPDATE_HINT}`);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const update = process.argv.includes("--update");
  if (!update && !process.argv.includes("--check")) {
    console.error("usage: node scripts/api-report.mjs --check | --update");
    process.exit(2);
  }
  main(() => apiReport({ update }));
}
