/** What printing needs from a module. */
interface Printable {
  extraRepr(): string;
  toString(): string;
}

/** Indents every line but the first by `spaces` (torch's `_addindent`). */
function addIndent(text: string, spaces: number): string {
  const [first, ...rest] = text.split("\n");
  if (rest.length === 0) return text;
  const pad = " ".repeat(spaces);
  return [first, ...rest.map((line) => pad + line)].join("\n");
}

/**
 * A module's text exactly as torch's `Module.__repr__`: the name, then its extra repr on one line
 * when it has no children, else one line per extra-repr line and per child `(name): …`, indented.
 */
export function formatModule<M extends Printable>(
  module: M,
  nameOf: (module: M) => string,
  childrenOf: (module: M) => ReadonlyMap<string, M | null>,
): string {
  const extra = module.extraRepr();
  const extraLines = extra === "" ? [] : extra.split("\n");
  const childLines = [...childrenOf(module)].map(
    ([name, child]) => `(${name}): ${addIndent(child === null ? "None" : child.toString(), 2)}`,
  );
  const lines = [...extraLines, ...childLines];
  let text = `${nameOf(module)}(`;
  if (extraLines.length === 1 && childLines.length === 0) text += extraLines[0];
  else if (lines.length > 0) text += `\n  ${lines.join("\n  ")}\n`;
  return `${text})`;
}
