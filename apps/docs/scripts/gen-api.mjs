// Generates the API reference (apps/docs/api/) from the packages' TSDoc with TypeDoc and
// typedoc-plugin-markdown. Runs before every docs build, so the reference never drifts from the
// code; api/ is git-ignored. One TypeScript program over all five packages' sources keeps it fast.
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Application, Comment, CommentTag, Converter, ReflectionKind } from "typedoc";
import { TORCH_GROUPS, torchGroupOf } from "./torch-groups.mjs";

const docsDir = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const packagesDir = resolve(docsDir, "../../packages");
export const PACKAGES = ["tensor", "autograd", "nn", "optim", "data", "train", "compile"];
/** Extra entry points (package subpath exports): module name → source file. */
const SUBPATHS = { "nn/functional": "nn/src/functional.ts", "train/node": "train/src/node.ts" };

const outDir = join(docsDir, "api");
const tmpDir = join(docsDir, ".api-tmp");

const started = performance.now();
const app = await Application.bootstrapWithPlugins({
  entryPoints: [
    ...PACKAGES.map((p) => join(packagesDir, p, "src/index.ts")),
    ...Object.values(SUBPATHS).map((file) => join(packagesDir, file)),
  ],
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
  groupOrder: [
    "Classes",
    "Constructors",
    "Properties",
    "Accessors",
    ...Object.keys(TORCH_GROUPS),
    "*",
  ],
});

// Name each module after its npm package (TypeDoc would call it "tensor/src").
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
  for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
    // "tensor/src" → "@x/tensor"; "train/src/node" → "@x/train/node"
    mod.name = `@x/${mod.name.replace(/\/src$/, "").replace(/\/src\//, "/")}`;
  }
});

// @x/tensor's functions and Tensor's methods go under PyTorch's headings (torch-groups.mjs); this
// runs before TypeDoc's GroupPlugin (priority -100), which reads the @group tags.
const ungrouped = [];
app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
  const tensorModule = context.project.getChildByName("@x/tensor");
  const tensorClass = tensorModule?.getChildByName("Tensor");
  const members = [
    ...(tensorModule?.children ?? []).filter((c) =>
      c.kindOf(ReflectionKind.Function | ReflectionKind.Variable),
    ),
    ...(tensorClass?.children ?? []).filter((c) => c.kindOf(ReflectionKind.Method)),
  ];
  for (const member of members) {
    const group = torchGroupOf(member.name);
    if (group === undefined) {
      ungrouped.push(member.name);
      continue;
    }
    member.comment ??= new Comment();
    member.comment.blockTags.push(new CommentTag("@group", [{ kind: "text", text: group }]));
  }
});

/** The module (package entry) a reflection belongs to. */
function moduleOf(reflection) {
  let current = reflection;
  while (current && current.kind !== ReflectionKind.Module) current = current.parent;
  return current;
}

// A class that extends another package's class (@x/nn's Parameter extends Tensor) lists only its
// own members: the inherited ones are documented, and found by search, on their own package's page.
app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
  for (const cls of context.project.getReflectionsByKind(ReflectionKind.Class)) {
    for (const member of [...(cls.children ?? [])]) {
      const origin = member.inheritedFrom?.reflection;
      if (origin && moduleOf(origin) !== moduleOf(cls)) context.project.removeReflection(member);
    }
  }
});

const project = await app.convert();
if (ungrouped.length > 0) {
  console.error(
    `gen-api: no PyTorch group for ${[...new Set(ungrouped)].join(", ")}. Add each name to the group of its torch.* counterpart in apps/docs/scripts/torch-groups.mjs.`,
  );
  process.exit(1);
}
if (!project) {
  console.error("gen-api: TypeDoc could not convert the packages' sources (see the errors above).");
  process.exit(1);
}
rmSync(tmpDir, { recursive: true, force: true });
await app.generateOutputs(project);
if (app.logger.hasErrors()) process.exit(1);

// Flatten api/@x/… to api/…: "@" in URLs is legal but confusing to link to. Links between the
// moved pages keep their relative form; links up to the index lose one "../".
renameSync(join(tmpDir, "@x"), join(docsDir, ".api-tmp-x"));
for (const entry of readdirSync(join(docsDir, ".api-tmp-x"))) {
  renameSync(join(docsDir, ".api-tmp-x", entry), join(tmpDir, entry));
}
rmSync(join(docsDir, ".api-tmp-x"), { recursive: true });
for (const file of readdirSync(tmpDir, { recursive: true })) {
  const path = join(tmpDir, file);
  if (!file.endsWith(".md")) continue;
  const text = readFileSync(path, "utf8")
    .replaceAll("](@x/", "](")
    .replace(/\]\(((?:\.\.\/)*)\.\.\/index\.md/g, "]($1index.md");
  writeFileSync(path, text);
}
const index = join(tmpDir, "index.md");
writeFileSync(
  index,
  readFileSync(index, "utf8").replace(
    "# API reference\n",
    "# API reference\n\nGenerated from the packages' TSDoc comments by TypeDoc on every docs build, so it always\nmatches the code. The [guides](/guide/) explain the same functions with live examples.\n",
  ),
);
// Swap the finished output in at once, so a failed run never leaves half a reference behind.
rmSync(outDir, { recursive: true, force: true });
renameSync(tmpDir, outDir);
console.log(
  `gen-api: ${PACKAGES.length} packages (+${Object.keys(SUBPATHS).length} subpath) → api/ in ${Math.round(performance.now() - started)} ms`,
);
