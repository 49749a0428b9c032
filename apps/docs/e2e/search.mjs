// Checks of the local search box (VitePress's minisearch index, options in .vitepress/config.ts):
// the learning pages and guides come first for their own topics, an API member with no page of
// its own still comes first for its name, and "safetensors" does not fuzzily match savedTensors.

/** Types `query` into the search box and returns the result links, best first. */
async function search(page, query) {
  const input = page.locator(".VPLocalSearchBox input");
  // Until the page has hydrated, the search button does nothing: click until the box opens.
  for (let tries = 0; !(await input.isVisible()); tries++) {
    if (tries === 50) throw new Error("the search box does not open");
    await page.locator(".DocSearch-Button").first().click();
    await page.waitForTimeout(200);
  }
  await input.fill(query);
  // The results list follows the input after a short debounce; wait until it is for this query.
  await page.waitForFunction((q) => {
    const box = document.querySelector(".VPLocalSearchBox");
    return box?.querySelector("input")?.value === q && box.querySelectorAll(".result").length > 0;
  }, query);
  await page.waitForTimeout(300);
  const links = await page.$$eval(".VPLocalSearchBox .result", (els) =>
    els.map((el) => new URL(el.href).pathname + new URL(el.href).hash),
  );
  await page.keyboard.press("Escape");
  return links;
}

/** The topic queries and the pages whose first result must be one of them. */
const TOPICS = {
  SGD: ["/learn/optimizers.html", "/guide/optim.html"],
  Adam: ["/learn/optimizers.html", "/guide/optim.html"],
  tensor: ["/guide/tensor.html"],
  gradcheck: ["/guide/autograd.html", "/learn/finite-differences.html"],
  overfitting: ["/learn/validation.html"],
  normalise: ["/guide/data.html", "/learn/loss-surface.html", "/learn/optimizers.html"],
  "step by step": ["/learn/"],
  "computation graph": ["/learn/computation-graph.html"],
};

export const searchChecks = {
  "learning pages and guides rank above API members for their own topics": async (page) => {
    const wrong = [];
    for (const [query, pages] of Object.entries(TOPICS)) {
      const results = await search(page, query);
      if (!pages.includes(results[0]?.split("#")[0]))
        wrong.push(`"${query}": ${results.slice(0, 4).join(", ")}`);
    }
    if (wrong.length) throw new Error(`wrong order:\n${wrong.join("\n")}`);
  },
  "an API member without a page of its own still comes first for its name": async (page) => {
    const results = await search(page, "indexSelect");
    if (!results[0]?.startsWith("/api/tensor.html#indexselect"))
      throw new Error(`"indexSelect" first finds ${results[0]}`);
  },
  '"safetensors" does not match savedTensors, which its own name still finds': async (page) => {
    const results = await search(page, "safetensors");
    const saved = results.filter((r) => r.toLowerCase().includes("savedtensors"));
    if (saved.length) throw new Error(`"safetensors" matches ${saved.join(", ")}`);
    if (!results.some((r) => r.toLowerCase().includes("safetensors")))
      throw new Error(`"safetensors" finds nothing about safetensors: ${results.slice(0, 4)}`);
    const own = await search(page, "savedTensors");
    if (!own[0]?.toLowerCase().includes("savedtensors"))
      throw new Error(`"savedTensors" first finds ${own[0]}`);
  },
};
