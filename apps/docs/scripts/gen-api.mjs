// Generates the API reference (apps/docs/api/) from the packages' TSDoc with TypeDoc and
// typedoc-plugin-markdown. Runs before every docs build, so the reference never drifts from the
// code; api/ is git-ignored. One TypeScript program over all five packages' sources keeps it fast.
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, Converter, ReflectionKind } from "typedoc";

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = resolve(docsDir, "../../packages");
export const PACKAGES = ["tensor", "autograd", "optim", "data", "train"];

const outDir = join(docsDir, "api");
const tmpDir = join(docsDir, ".api-tmp");

const started = performance.now();
const app = await Application.bootstrapWithPlugins({
  entryPoints: PACKAGES.map((p) => join(packagesDir, p, "src/index.ts")),
  entryPointStrategy: "resolve",
  tsconfig: join(docsDir, "tsconfig.api.json"),
  plugin: ["typedoc-plugin-markdown"],
  out: tmpDir,
  readme: "none",
  name: "API reference",
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  disableSources: true,
  hidePageHeader: true,
  hideBreadcrumbs: true,
  hideGenerator: true,
  githubPages: false,
  skipErrorChecking: true,
  logLevel: "Warn",
  validation: { notExported: false, invalidLink: false },
  // typedoc-plugin-markdown: one page per module, members listed in tables.
  outputFileStrategy: "modules",
  entryFileName: "index",
  parametersFormat: "table",
  enumMembersFormat: "table",
  typeDeclarationFormat: "table",
  useCodeBlocks: false,
  expandObjects: false,
  sanitizeComments: true, // escapes < > { } in TSDoc prose, which Vue would otherwise parse
});

// Name each module after its npm package (TypeDoc would call it "tensor/src").
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
  for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
    mod.name = `@x/${mod.name.replace(/\/src$/, "")}`;
  }
});

const project = await app.convert();
if (!project) {
  console.error("gen-api: TypeDoc could not convert the packages' sources (see the errors above).");
  process.exit(1);
}
rmSync(tmpDir, { recursive: true, force: true });
await app.generateOutputs(project);
if (app.logger.hasErrors()) process.exit(1);

// Flatten api/@x/<pkg>.md to api/<pkg>.md: "@" in URLs is legal but confusing to link to.
const scoped = join(tmpDir, "@x");
for (const file of readdirSync(scoped)) renameSync(join(scoped, file), join(tmpDir, file));
rmSync(scoped, { recursive: true });
for (const file of readdirSync(tmpDir)) {
  const path = join(tmpDir, file);
  const text = readFileSync(path, "utf8");
  writeFileSync(path, text.replaceAll("](@x/", "](").replaceAll("](../index.md", "](index.md"));
}
// Swap the finished output in at once, so a failed run never leaves half a reference behind.
rmSync(outDir, { recursive: true, force: true });
renameSync(tmpDir, outDir);
console.log(
  `gen-api: ${PACKAGES.length} packages → api/ in ${Math.round(performance.now() - started)} ms`,
);
