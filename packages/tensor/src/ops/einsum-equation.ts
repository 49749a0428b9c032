import { TensorError } from "../errors";

/** A subscript's label: `A`–`Z` are 0–25, `a`–`z` 26–51 (torch's order); the ellipsis is -1. */
export const ELLIPSIS = -1;
/** How many distinct letters a subscript may use. */
export const LABEL_COUNT = 52;

/** One operand's (or the output's) subscripts and where each stands in the equation. */
export interface Subscripts {
  labels: number[];
  /** The equation index of each label (of an ellipsis, its first dot). */
  positions: number[];
  /** Where the subscripts start in the equation (for errors about the whole operand). */
  start: number;
}

/** A parsed equation: the operands' subscripts and, when given (`->`), the output's. */
export interface Equation {
  text: string;
  inputs: Subscripts[];
  output: Subscripts | null;
  /** Where the left-hand side ends (the `->`, or the end of the text). */
  lhsEnd: number;
}

/**
 * A TensorError about `equation` at index `position`: the message quotes the equation with a
 * caret under the problem, then the hint.
 */
export function equationError(
  code: "INVALID_ARGUMENT" | "SHAPE_MISMATCH",
  equation: string,
  position: number,
  problem: string,
  hint: string,
): TensorError {
  const caret = `${" ".repeat(position)}^`;
  return new TensorError(
    code,
    "einsum",
    `${problem} (at character ${position + 1} of the equation):\n  ${equation}\n  ${caret}\nHint: ${hint}`,
  );
}

/** The label of a letter, or null for any other character. */
export function labelOf(char: string): number | null {
  const code = char.charCodeAt(0);
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 97 + 26;
  return null;
}

/** The letter of a label. */
export function letterOf(label: number): string {
  return String.fromCharCode(label < 26 ? 65 + label : 97 + label - 26);
}

/** Reads one side's subscripts from `from` to `to`; `separator` (`,`) starts the next operand. */
function readSubscripts(text: string, from: number, to: number, separator: boolean): Subscripts[] {
  const all: Subscripts[] = [{ labels: [], positions: [], start: from }];
  for (let i = from; i < to; i++) {
    const current = all[all.length - 1] as Subscripts;
    const char = text[i] as string;
    if (char === " ") continue;
    if (char === "," && separator) {
      all.push({ labels: [], positions: [], start: i + 1 });
    } else if (char === ".") {
      if (text.slice(i, i + 3) !== "..." || i + 3 > to) {
        throw equationError(
          "INVALID_ARGUMENT",
          text,
          i,
          "found '.' that is not part of an ellipsis '...'",
          "write broadcast dims as exactly three dots, e.g. '...ij'.",
        );
      }
      if (current.labels.includes(ELLIPSIS)) {
        throw equationError(
          "INVALID_ARGUMENT",
          text,
          i,
          "found more than one ellipsis in one subscript",
          "each operand (and the output) may hold at most one '...'.",
        );
      }
      current.labels.push(ELLIPSIS);
      current.positions.push(i);
      i += 2;
    } else {
      const label = labelOf(char);
      if (label === null) {
        throw equationError(
          "INVALID_ARGUMENT",
          text,
          i,
          `invalid subscript ${JSON.stringify(char)}`,
          "subscripts are letters a-z and A-Z; separate operands with ',' and give the output after '->'.",
        );
      }
      current.labels.push(label);
      current.positions.push(i);
    }
  }
  return all;
}

/** Parses `equation`: operands' subscripts, then the checked output subscripts if `->` is given. */
export function parseEquation(equation: unknown): Equation {
  if (typeof equation !== "string") {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "einsum",
      `the equation must be a string, but got ${typeof equation}. Hint: e.g. einsum('ij,jk->ik', a, b).`,
    );
  }
  const arrow = equation.indexOf("->");
  const lhsEnd = arrow === -1 ? equation.length : arrow;
  const inputs = readSubscripts(equation, 0, lhsEnd, true);
  if (arrow === -1) return { text: equation, inputs, output: null, lhsEnd };
  const [output] = readSubscripts(equation, arrow + 2, equation.length, false);
  const out = output as Subscripts;
  const seen = new Set(inputs.flatMap((s) => s.labels));
  out.labels.forEach((label, k) => {
    const position = out.positions[k] as number;
    if (label === ELLIPSIS) return;
    if (!seen.has(label)) {
      throw equationError(
        "INVALID_ARGUMENT",
        equation,
        position,
        `output subscript ${letterOf(label)} does not appear in any input operand`,
        "every output letter must name a dim of some input.",
      );
    }
    if (out.labels.indexOf(label) !== k) {
      throw equationError(
        "INVALID_ARGUMENT",
        equation,
        position,
        `output subscript ${letterOf(label)} appears more than once in the output`,
        "name each output dim once; to take a diagonal, repeat the letter in an input ('ii->i').",
      );
    }
  });
  return { text: equation, inputs, output: out, lhsEnd };
}
