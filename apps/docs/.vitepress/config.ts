import { defineConfig } from "vitepress";

const guide = [
  { text: "Getting started", link: "/guide/" },
  { text: "@x/tensor", link: "/guide/tensor" },
  { text: "Indexing", link: "/guide/indexing" },
  { text: "Masks and scatter", link: "/guide/masks" },
  { text: "@x/autograd", link: "/guide/autograd" },
  { text: "@x/optim", link: "/guide/optim" },
  { text: "@x/data", link: "/guide/data" },
  { text: "@x/train", link: "/guide/train" },
  { text: "@x/nn", link: "/guide/nn" },
  { text: "@x/compile", link: "/guide/compile" },
  { text: "The x CLI", link: "/guide/cli" },
];

const learn = [
  { text: "Overview", link: "/learn/" },
  { text: "1. Data, model and loss", link: "/learn/data-and-model" },
  { text: "2. Gradient descent on the loss surface", link: "/learn/loss-surface" },
  { text: "3. Finite differences vs autograd", link: "/learn/finite-differences" },
  { text: "4. The computation graph", link: "/learn/computation-graph" },
  { text: "5. SGD vs Adam", link: "/learn/optimizers" },
  { text: "6. Validation and overfitting", link: "/learn/validation" },
  { text: "7. From a line to a network", link: "/learn/nn" },
  { text: "8. A classifier in the browser", link: "/learn/classifier" },
];

const api = [
  "tensor",
  "autograd",
  "nn",
  "nn/functional",
  "optim",
  "data",
  "train",
  "train/node",
  "compile",
].map((p) => ({
  text: `@x/${p}`,
  // @x/nn's reference is a folder (its `init` namespace gets a page of its own)
  link: p === "nn" ? "/api/nn/" : `/api/${p}`,
}));

export default defineConfig({
  title: "@x",
  description:
    "PyTorch-style deep learning in TypeScript, built around chapter 5 of Deep Learning with PyTorch.",
  lang: "en-GB",
  cleanUrls: false,
  lastUpdated: false,
  head: [["link", { rel: "icon", type: "image/svg+xml", href: "/favicon.svg" }]],
  srcExclude: ["README.md", "e2e/**", "scripts/**"],
  themeConfig: {
    nav: [
      { text: "Guide", link: "/guide/", activeMatch: "^/guide/" },
      { text: "Learn step by step", link: "/learn/", activeMatch: "^/learn/" },
      { text: "API", link: "/api/", activeMatch: "^/api/" },
    ],
    sidebar: {
      "/guide/": [{ text: "Guide", items: guide }],
      "/learn/": [{ text: "Learning, step by step", items: learn }],
      "/api/": [{ text: "API reference", link: "/api/", items: api }],
    },
    outline: { level: [2, 3] },
    search: {
      provider: "local",
      options: {
        miniSearch: {
          searchOptions: {
            // One typo per ~10 letters (VitePress's default 0.2 allows two in "safetensors" and
            // so matched "savedTensors"); prefixes still match ("safet" finds safetensors).
            fuzzy: 0.1,
            prefix: true,
            // The learning pages and guides explain a topic, the API reference lists members: a
            // learn or guide section whose heading names the query term ("SGD" in "5. SGD vs
            // Adam") ranks above the API member of that name, while a member with no page of its
            // own ("indexSelect") still comes first. VitePress serialises this function into the
            // client bundle, so it must not refer to anything outside itself.
            boostDocument: (id: string, term: string, stored?: Record<string, unknown>) => {
              const prose = id.startsWith("/learn/") || id.startsWith("/guide/");
              const base = prose ? 2 : id.startsWith("/api/") ? 1 : 1.5;
              const titles = [stored?.title, ...((stored?.titles as unknown[]) ?? [])];
              const heading = titles.join(" ").toLowerCase();
              return prose && heading.includes(term) ? base * 3 : base;
            },
          },
        },
      },
    },
    footer: {
      message: "Every number on these pages is computed live by the @x packages in your browser.",
    },
  },
  vite: {
    // Import the workspace packages from their TypeScript sources (no build of them needed).
    resolve: { conditions: ["@x/source"] },
    ssr: { noExternal: [/^@x\//] },
  },
});
