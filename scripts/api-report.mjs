#!/usr/bin/env node
// Public API reports with API Extractor: one packages/<name>/etc/<name>.api.md per library package,
// generated from the built dist/index.d.ts and committed.
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
 * Every finding about the API (forgotten exports, TSDoc problems…) is written into the report itself
 * instead of failing the run, so it is reviewed along with the API it belongs to.
 */
const inReport = { logLevel: "none", addToApiReportFile: true };

/** The API Extractor configuration for one package, with the reports' temp copy in `tempDir`. */
function extractorConfig(pkg, tempDir) {
  return ExtractorConfig.prepare({
    configObjectFullPath: undefined,
    packageJsonFullPath: join(pkg.dir, "package.json"),
    configObject: {
      projectFolder: pkg.dir,
      mainEntryPointFilePath: "<projectFolder>/dist/index.d.ts",
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
          files: ["dist/index.d.ts"],
        },
      },
      apiReport: {
        enabled: true,
        reportFileName: "<unscopedPackageName>",
        reportFolder: "<projectFolder>/etc/",
        reportTempFolder: join(tempDir, pkg.short),
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
        },
        tsdocMessageReporting: { default: inReport },
      },
    },
  });
}

/** Runs API Extractor over every library package; throws when a check fails. */
export async function apiReport({ update }) {
  const packages = libraryPackages();
  requireBuilt(packages);
  await withTempDir("api", (tempDir) => {
    const problems = [];
    for (const pkg of packages) {
      if (update) mkdirSync(join(pkg.dir, "etc"), { recursive: true });
      const report = relative(ROOT, join(pkg.dir, "etc", `${pkg.short}.api.md`));
      const result = Extractor.invoke(extractorConfig(pkg, tempDir), {
        localBuild: update,
        printApiReportDiff: !update,
        messageCallback(message) {
          // Our own one-line summary below replaces API Extractor's "copy the file" advice.
          if (message.messageId === "console-api-report-not-copied") message.logLevel = "none";
          if (message.messageId === "console-preamble") message.logLevel = "none";
          if (update && message.messageId.startsWith("console-api-report-"))
            message.logLevel = "none";
        },
      });
      if (result.errorCount > 0) {
        problems.push(
          `${pkg.name}: API Extractor reported ${result.errorCount} error(s), see above`,
        );
      } else if (result.apiReportChanged && !update) {
        problems.push(
          existsSync(join(ROOT, report))
            ? `${pkg.name}: public API differs from ${report} (diff above)`
            : `${pkg.name}: ${report} does not exist yet`,
        );
      } else {
        console.log(
          `${pkg.name}: ${update && result.apiReportChanged ? "updated" : "up to date"} ${report}`,
        );
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
