/**
 * A tensor's shape as `x.size()` returns it: an array of the sizes that prints as PyTorch prints
 * `torch.Size` (`torch.Size([3, 1])`), so a ported notebook cell prints what the book prints.
 * It is a plain array otherwise: index it, destructure it, spread it, compare it.
 *
 * @example
 * ```ts
 * ones(3, 1).size();             // torch.Size([3, 1]) in console.log and String(...)
 * const [rows, cols] = x.size(); // still an array
 * ```
 */
export class Size extends Array<number> {
  /** The number of elements a tensor of this size holds (PyTorch's `Size.numel()`). */
  numel(): number {
    let count = 1;
    for (const size of this) count *= size;
    return count;
  }
  /** `torch.Size([3, 1])`, PyTorch's text. */
  override toString(): string {
    return `torch.Size([${this.join(", ")}])`;
  }
  /** What `console.log(size)` prints in Node: the same text as `toString()`. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }
}

/** A {@link Size} holding `shape`'s sizes. */
export function sizeOf(shape: readonly number[]): Size {
  const size = new Size();
  for (const s of shape) size.push(s);
  return size;
}
