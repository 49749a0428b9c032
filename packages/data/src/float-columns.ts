const INITIAL_CAPACITY = 1024;

/**
 * Float32 columns that grow by half as rows arrive, so that reading a table costs 4 bytes a cell
 * (plus the spare capacity) rather than an array of strings a row.
 */
export class Float32Columns {
  private columns: Float32Array[];
  private capacity = INITIAL_CAPACITY;
  /** The number of complete rows. */
  length = 0;

  constructor(count: number) {
    this.columns = Array.from({ length: count }, () => new Float32Array(INITIAL_CAPACITY));
  }

  /** Sets column `k` of the row being written (row `length`, complete once {@link commit}ted). */
  set(k: number, value: number): void {
    (this.columns[k] as Float32Array)[this.length] = value;
  }

  /** Completes the row being written, making room for the next. */
  commit(): void {
    this.length++;
    if (this.length < this.capacity) return;
    this.capacity = Math.ceil(this.capacity * 1.5);
    this.columns = this.columns.map((column) => {
      const grown = new Float32Array(this.capacity);
      grown.set(column);
      return grown;
    });
  }

  /**
   * Hands each column's complete rows to `take` (which must copy them, as `tensor()` does) and
   * releases the column right after, so that only one column is held twice at a time.
   */
  drain<T>(take: (values: Float32Array, k: number) => T): T[] {
    const out: T[] = [];
    const columns = this.columns;
    this.columns = [];
    for (let k = 0; k < columns.length; k++) {
      out.push(take((columns[k] as Float32Array).subarray(0, this.length), k));
      columns[k] = new Float32Array(0);
    }
    return out;
  }
}
