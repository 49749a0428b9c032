import { checkTensorArgument, TensorError } from "../errors";
import { numelOf } from "../shape";
import type { Tensor } from "../tensor";
import {
  ELLIPSIS,
  type Equation,
  equationError,
  LABEL_COUNT,
  letterOf,
  parseEquation,
  type Subscripts,
} from "./einsum-equation";
import { matmul } from "./linalg";
import { diagonal, movedim } from "./shape-views";
import { permute, reshape, squeeze, unsqueeze } from "./views";

/** Where each label and the ellipsis dims go in the common dim order of every aligned operand. */
interface Layout {
  /** Dim of each label in the aligned order (-1: unused). */
  labelDim: number[];
  /** First aligned dim of the ellipsis dims. */
  ellipsisDim: number;
  ellipsisCount: number;
  /** How many leading aligned dims are the output's. */
  outputCount: number;
  total: number;
}

/** How many dims the ellipsis of operand `i` covers (0 without one); checks the subscript count. */
function ellipsisDims(equation: Equation, subscripts: Subscripts, x: Tensor, i: number): number {
  const hasEllipsis = subscripts.labels.includes(ELLIPSIS);
  const letters = subscripts.labels.length - (hasEllipsis ? 1 : 0);
  if (hasEllipsis ? letters <= x.ndim : letters === x.ndim)
    return hasEllipsis ? x.ndim - letters : 0;
  const problem = `operand ${i} has ${x.ndim} dim${x.ndim === 1 ? "" : "s"} but ${letters} subscript${letters === 1 ? "" : "s"}`;
  const extra = subscripts.positions[x.ndim + (hasEllipsis ? 1 : 0)];
  throw equationError(
    "INVALID_ARGUMENT",
    equation.text,
    letters > x.ndim && extra !== undefined ? extra : subscripts.start,
    problem,
    `give one letter per dim of operand ${i} (shape [${x.shape.join(", ")}]), or '...' for the leading dims.`,
  );
}

/** The output's labels: the explicit ones, or (implicit) the ellipsis then each letter used once. */
function outputSubscripts(equation: Equation, anyEllipsis: boolean): number[] {
  if (equation.output !== null) return equation.output.labels;
  const counts = new Array<number>(LABEL_COUNT).fill(0);
  for (const s of equation.inputs)
    for (const l of s.labels) if (l !== ELLIPSIS) counts[l] = (counts[l] as number) + 1;
  const once = counts.flatMap((c, label) => (c === 1 ? [label] : []));
  return anyEllipsis ? [ELLIPSIS, ...once] : once;
}

/** torch's order: output dims first, then the ellipsis if summed, then contracted letters. */
function layoutOf(equation: Equation, output: number[], ellipsisCount: number): Layout {
  const labelDim = new Array<number>(LABEL_COUNT).fill(-1);
  let ellipsisDim = -1;
  let next = 0;
  for (const label of output) {
    if (label === ELLIPSIS) {
      ellipsisDim = next;
      next += ellipsisCount;
    } else labelDim[label] = next++;
  }
  const outputCount = next;
  if (ellipsisDim === -1) {
    ellipsisDim = next;
    next += ellipsisCount;
  }
  const used = new Set(equation.inputs.flatMap((s) => s.labels));
  for (let label = 0; label < LABEL_COUNT; label++)
    if (used.has(label) && labelDim[label] === -1) labelDim[label] = next++;
  return { labelDim, ellipsisDim, ellipsisCount, outputCount, total: next };
}

/** Size seen so far for each aligned dim (1 until a larger one is seen) and where it was seen. */
interface SizesSeen {
  sizes: number[];
  where: string[];
}

function checkSize(
  equation: Equation,
  seen: SizesSeen,
  dim: number,
  size: number,
  position: number,
  what: string,
  operand: number,
): void {
  const previous = seen.sizes[dim] as number;
  if (size !== 1 && previous !== 1 && previous !== size) {
    throw equationError(
      "SHAPE_MISMATCH",
      equation.text,
      position,
      `${what} has size ${size}, but size ${previous} ${seen.where[dim]}`,
      "a letter names one size in every operand (a size-1 dim broadcasts); check the shapes of the operands.",
    );
  }
  if (size !== 1) {
    seen.sizes[dim] = size;
    seen.where[dim] = `in operand ${operand}`;
  }
}

/**
 * Operand `i` with its repeated letters reduced to diagonals, missing letters as size-1 dims,
 * and its dims permuted to the layout's order.
 */
function align(equation: Equation, x: Tensor, i: number, layout: Layout, seen: SizesSeen): Tensor {
  const subscripts = equation.inputs[i] as Subscripts;
  const covered = ellipsisDims(equation, subscripts, x, i);
  const permutation = new Array<number>(layout.total).fill(-1);
  let op = x;
  let dim = 0;
  subscripts.labels.forEach((label, k) => {
    const position = subscripts.positions[k] as number;
    if (label === ELLIPSIS) {
      for (let j = layout.ellipsisCount - covered; j < layout.ellipsisCount; j++) {
        const target = layout.ellipsisDim + j;
        const what = `dim ${dim} of operand ${i} (under '...')`;
        checkSize(equation, seen, target, op.shape[dim] as number, position, what, i);
        permutation[target] = dim++;
      }
      return;
    }
    const target = layout.labelDim[label] as number;
    const previous = permutation[target] as number;
    const size = op.shape[dim] as number;
    if (previous === -1) {
      const what = `subscript ${letterOf(label)} of operand ${i}`;
      checkSize(equation, seen, target, size, position, what, i);
      permutation[target] = dim++;
    } else if (size !== op.shape[previous]) {
      throw equationError(
        "SHAPE_MISMATCH",
        equation.text,
        position,
        `subscript ${letterOf(label)} is repeated in operand ${i} but its dims have sizes ${op.shape[previous]} and ${size}`,
        "a repeated letter takes a diagonal, which needs dims of equal size.",
      );
    } else op = movedim(diagonal(op, 0, previous, dim), -1, previous);
  });
  for (let target = 0; target < layout.total; target++) {
    if (permutation[target] !== -1) continue;
    op = unsqueeze(op, dim);
    permutation[target] = dim++;
  }
  return permute(op, permutation);
}

const ones = (n: number) => new Array<number>(n).fill(1);

/**
 * torch's `sumproduct_pair`: multiplies `left` and `right` (same rank, broadcastable) and sums
 * `sumDims`, as one batched matrix product: dims in both become the batch, dims in one only the
 * rows or columns, summed dims the inner dim (permute, reshape, matmul, then back).
 */
function sumproductPair(leftIn: Tensor, rightIn: Tensor, sumDims: readonly number[]): Tensor {
  let left = leftIn;
  let right = rightIn;
  const both: number[] = [];
  const leftOnly: number[] = [];
  const rightOnly: number[] = [];
  let sumSize = 1;
  for (let d = 0; d < left.ndim; d++) {
    const inLeft = left.shape[d] !== 1;
    const inRight = right.shape[d] !== 1;
    if (sumDims.includes(d)) {
      if (inLeft && inRight) sumSize *= left.shape[d] as number;
      else if (inLeft) left = left.sum(d, true);
      else if (inRight) right = right.sum(d, true);
    } else if (inLeft && inRight) both.push(d);
    else if (inLeft) leftOnly.push(d);
    else rightOnly.push(d);
  }
  const sizes = (t: Tensor, dims: number[]) => dims.map((d) => t.shape[d] as number);
  const product = (t: Tensor, dims: number[]) => numelOf(sizes(t, dims));
  const batch = product(left, both);
  const rows = product(left, leftOnly);
  const cols = product(right, rightOnly);
  const lhs = reshape(permute(left, [...both, ...leftOnly, ...sumDims, ...rightOnly]), [
    batch,
    rows,
    sumSize,
  ]);
  const rhs = reshape(permute(right, [...both, ...sumDims, ...rightOnly, ...leftOnly]), [
    batch,
    sumSize,
    cols,
  ]);
  const order = [...both, ...leftOnly, ...sumDims, ...rightOnly];
  const inverse = new Array<number>(order.length);
  order.forEach((d, k) => {
    inverse[d] = k;
  });
  const outShape = [
    ...sizes(left, both),
    ...sizes(left, leftOnly),
    ...ones(sumDims.length),
    ...sizes(right, rightOnly),
  ];
  const result = permute(reshape(matmul(lhs, rhs), outShape), inverse);
  return squeeze(result, sumDims);
}

function checkOperandCount(equation: Equation, operands: readonly Tensor[]): void {
  const expected = equation.inputs.length;
  if (operands.length === expected) return;
  const more = operands.length > expected;
  const position = more ? equation.lhsEnd : (equation.inputs[operands.length] as Subscripts).start;
  throw equationError(
    "INVALID_ARGUMENT",
    equation.text,
    Math.min(position, Math.max(equation.text.length - 1, 0)),
    `the equation has subscripts for ${expected} operand${expected === 1 ? "" : "s"}, but ${operands.length} tensor${operands.length === 1 ? " was" : "s were"} given`,
    more
      ? "add a comma-separated subscript for each extra tensor."
      : "pass one tensor per comma-separated subscript.",
  );
}

/**
 * torch 1.13's contraction: dims no later operand needs are summed (or squeezed) at once; each
 * next operand is multiplied in, summing the dims it is the last to hold.
 */
function contract(aligned: Tensor[], layout: Layout): Tensor {
  const { outputCount, total } = layout;
  const lastOperand = new Array<number>(total).fill(0);
  aligned.forEach((op, i) => {
    for (let d = 0; d < total; d++) if (op.shape[d] !== 1) lastOperand[d] = i;
  });
  let result = aligned[0] as Tensor;
  // sum what no later operand needs, squeeze what is size 1 throughout
  for (let j = outputCount, dim = outputCount; j < total; j++, dim++) {
    if (lastOperand[j] !== 0) continue;
    result = result.shape[dim] === 1 ? squeeze(result, dim) : result.sum(dim);
    dim--;
  }
  for (let i = 1; i < aligned.length; i++) {
    let operand = aligned[i] as Tensor;
    const sumDims: number[] = [];
    for (let j = outputCount, dim = outputCount; j < total; j++, dim++) {
      if ((lastOperand[j] as number) < i) {
        operand = squeeze(operand, dim);
        dim--;
      } else if (lastOperand[j] === i) {
        if (result.shape[dim] === 1) {
          operand = operand.sum(dim);
          result = squeeze(result, dim);
          dim--;
        } else sumDims.push(dim);
      }
    }
    if (sumDims.length === 0) result = result.mul(operand);
    else if (sumDims.length === result.ndim) result = result.flatten().dot(operand.flatten());
    else result = sumproductPair(result, operand, sumDims);
  }
  return result; // every contracted dim has been summed or squeezed away
}

/**
 * Einstein summation (`torch.einsum`): `equation` names each operand's dims with letters
 * (`'ij,jk->ik'`); letters shared by operands are multiplied, letters missing from the output
 * are summed, a letter repeated in one operand takes its diagonal (`'ii->i'`, `'ii'` is the
 * trace), and `...` stands for broadcast leading dims. Without `->` the output is the ellipsis
 * then the letters used once, in alphabetical order (capitals first). Operands are contracted
 * left to right, each pair as one batched `matmul`, as torch 1.13 does; gradients flow through
 * those ops.
 */
export function einsum(equation: string, ...operands: Tensor[]): Tensor {
  const parsed = parseEquation(equation);
  operands.forEach((x, i) => {
    checkTensorArgument(x, "einsum", `operand ${i}`);
  });
  if (operands.length === 0) {
    throw new TensorError(
      "INVALID_ARGUMENT",
      "einsum",
      "expected at least one operand after the equation, but got none. Hint: e.g. einsum('ii', x).",
    );
  }
  checkOperandCount(parsed, operands);
  const covered = operands.map((x, i) =>
    ellipsisDims(parsed, parsed.inputs[i] as Subscripts, x, i),
  );
  const ellipsisCount = Math.max(0, ...covered);
  const anyEllipsis = parsed.inputs.some((s) => s.labels.includes(ELLIPSIS));
  const output = outputSubscripts(parsed, anyEllipsis);
  const layout = layoutOf(parsed, output, ellipsisCount);
  const seen: SizesSeen = { sizes: ones(layout.total), where: [] };
  const aligned = operands.map((x, i) => align(parsed, x, i, layout, seen));
  return contract(aligned, layout);
}
