// Page-wide checks on what the charts and their captions look like.

const MIN_CHART_FONT_PX = 12;

/**
 * Fails if any text of a chart (axes, tick labels, legends, labels) is under 12 px, or reaches
 * past the edge of the chart's box, which cuts it off (the underscore of "t_u" in an x-axis label
 * on the bottom edge).
 */
export async function expectReadableChartText(page) {
  const small = await page.$$eval(".plot-figure", (figures) =>
    figures.flatMap((figure) =>
      [...figure.querySelectorAll("text, tspan, span, div")]
        .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
        .map((el) => ({
          text: el.textContent.trim().slice(0, 30),
          px: parseFloat(getComputedStyle(el).fontSize),
        })),
    ),
  );
  const cut = await page.$$eval(".plot-figure", (figures) =>
    figures.flatMap((figure) => {
      const box = figure.getBoundingClientRect();
      return [...figure.querySelectorAll("svg text")]
        .filter((el) => {
          const r = el.getBoundingClientRect();
          return r.height > 0 && (r.bottom > box.bottom || r.top < box.top);
        })
        .map((el) => el.textContent.trim());
    }),
  );
  if (cut.length) throw new Error(`chart texts cut off at the chart's edge: ${cut.join(", ")}`);
  const tooSmall = small.filter((t) => t.px < MIN_CHART_FONT_PX);
  if (tooSmall.length) {
    const list = tooSmall.slice(0, 8).map((t) => `"${t.text}" at ${t.px}px`);
    throw new Error(
      `${tooSmall.length} chart texts under ${MIN_CHART_FONT_PX}px: ${list.join(", ")}`,
    );
  }
}

/**
 * Fails if a demo's text or the page's prose points at a chart by position ("Right:", "(right)"):
 * on a phone the charts stack, and the "right" one is below.
 */
export async function expectNoPositionalChartReferences(page) {
  // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, not <style> contents
  const text = await page.locator(".VPContent").innerText();
  const found = text.match(/\b(right|left):|\((right|left)\)/gi);
  if (found) throw new Error(`the page refers to a chart by position: ${found.join(", ")}`);
}
