/**
 * Sorting kernels on one row at a time: `keys` (numbers whose order is the comparison order)
 * carry `idx` (positions in the row). `sort` runs a stable radix sort. The selections are ports of
 * libstdc++'s `std::partial_sort` and `std::nth_element` and of PyTorch's `quick_select_template`,
 * step for step, because PyTorch's CPU `topk`, `kthvalue` and `median` call exactly these: which
 * of several equal keys lands where is decided by the algorithm, and matching it gives PyTorch's
 * indices for ties.
 */
import type { DType, TypedArray } from "../dtype";

const SORT_THRESHOLD = 16;

/** `<` on float64 values with NaN after everything (torch's ascending order). */
function nanLast(a: number, b: number): number {
  if (Number.isNaN(a)) return Number.isNaN(b) ? 0 : 1;
  if (Number.isNaN(b)) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Float64 keys as ranks: equal values (−0 and +0, every NaN) share a rank, NaN ranks last; the
 * sorts below then see integers in the order torch compares the values.
 */
function float64Ranks(
  data: TypedArray,
  start: number,
  stride: number,
  n: number,
  keys: Int32Array,
) {
  const order = Array.from({ length: n }, (_, i) => i);
  const value = (i: number): number => data[start + i * stride] as number;
  order.sort((a, b) => nanLast(value(a), value(b)));
  let rank = 0;
  for (let i = 0; i < n; i++) {
    if (i > 0 && nanLast(value(order[i - 1] as number), value(order[i] as number)) !== 0) rank++;
    keys[order[i] as number] = rank;
  }
}

/** The key of float32 bits `b`: monotone in the value, NaN largest, −0 equal to +0. */
function floatKey(b: number): number {
  if ((b & 0x7fffffff) > 0x7f800000) return 0x7fffffff;
  if (b === -0x80000000) return 0;
  // negative values flip their magnitude bits; no branch, as random signs mispredict half the time
  return b ^ ((b >> 31) & 0x7fffffff);
}

/**
 * The row `data[start + i·stride]` as int32 words whose keys {@link partialSortStreaming} reads
 * (float32 bits, or int32 values), or null for the dtypes it does not read (float64, bool).
 */
export function keyWords(data: TypedArray, dtype: DType): Int32Array | null {
  if (dtype === "float32") return new Int32Array(data.buffer, data.byteOffset, data.length);
  return dtype === "int32" ? (data as Int32Array) : null;
}

/**
 * Fills `keys[0..n)` from the row `data[start + i·stride]` with integers whose ascending order is
 * torch's order of the values (NaN largest, −0 equal to +0), reversed when `descending`. Float32
 * maps its bits to monotone integers; float64 uses ranks. Returns true when {@link keyValues}
 * turns the keys back into the values bit for bit (float32 rows without NaN or −0, int32, bool).
 */
export function rowKeys(
  data: TypedArray,
  dtype: DType,
  start: number,
  stride: number,
  n: number,
  descending: boolean,
  keys: Int32Array,
): boolean {
  let exact = dtype !== "float64";
  if (dtype === "float64") float64Ranks(data, start, stride, n, keys);
  else if (dtype === "float32") {
    const bits = new Int32Array(data.buffer, data.byteOffset, data.length);
    for (let i = 0; i < n; i++) {
      const b = bits[start + i * stride] as number;
      const key = floatKey(b);
      if (key === 0x7fffffff || (key === 0 && b !== 0)) exact = false; // NaN or −0
      keys[i] = key;
    }
  } else for (let i = 0; i < n; i++) keys[i] = data[start + i * stride] as number;
  if (descending) for (let i = 0; i < n; i++) keys[i] = ~(keys[i] as number);
  return exact;
}

/**
 * Writes the values whose keys {@link rowKeys} made (when it returned true) to
 * `out[outStart + j·outStride]`: sorted keys become sorted values without reading the input
 * again at scattered positions, which costs more than the sort itself on large rows.
 */
export function keyValues(
  keys: Int32Array,
  n: number,
  dtype: DType,
  descending: boolean,
  out: TypedArray,
  outStart: number,
  outStride: number,
): void {
  const flip = descending ? -1 : 0;
  if (dtype === "float32") {
    const bits = new Int32Array(out.buffer, out.byteOffset, out.length);
    for (let j = 0; j < n; j++) {
      const key = (keys[j] as number) ^ flip;
      bits[outStart + j * outStride] = key < 0 ? key ^ 0x7fffffff : key;
    }
  } else for (let j = 0; j < n; j++) out[outStart + j * outStride] = (keys[j] as number) ^ flip;
}

/** A row being sorted: integer keys and the positions they carry. */
export interface Row {
  readonly k: Int32Array;
  readonly ix: Int32Array;
}

function swap({ k, ix }: Row, a: number, b: number): void {
  const key = k[a] as number;
  k[a] = k[b] as number;
  k[b] = key;
  const at = ix[a] as number;
  ix[a] = ix[b] as number;
  ix[b] = at;
}

/** `floor(log2(n))`, libstdc++'s `__lg`. */
function lg(n: number): number {
  return 31 - Math.clz32(n);
}

function moveMedianToFirst(row: Row, result: number, a: number, b: number, c: number): void {
  const { k } = row;
  const ka = k[a] as number;
  const kb = k[b] as number;
  const kc = k[c] as number;
  let median: number;
  if (ka < kb) median = kb < kc ? b : ka < kc ? c : a;
  else median = ka < kc ? a : kb < kc ? c : b;
  swap(row, result, median);
}

function unguardedPartition(row: Row, first: number, last: number, pivot: number): number {
  const { k } = row;
  const p = k[pivot] as number;
  let lo = first;
  let hi = last;
  for (;;) {
    while ((k[lo] as number) < p) lo++;
    hi--;
    while (p < (k[hi] as number)) hi--;
    if (!(lo < hi)) return lo;
    swap(row, lo, hi);
    lo++;
  }
}

function partitionPivot(row: Row, first: number, last: number): number {
  const mid = first + ((last - first) >> 1);
  moveMedianToFirst(row, first, first + 1, mid, last - 1);
  return unguardedPartition(row, first + 1, last, first);
}

function unguardedLinearInsert({ k, ix }: Row, at: number): void {
  const key = k[at] as number;
  const position = ix[at] as number;
  let hole = at;
  while (key < (k[hole - 1] as number)) {
    k[hole] = k[hole - 1] as number;
    ix[hole] = ix[hole - 1] as number;
    hole--;
  }
  k[hole] = key;
  ix[hole] = position;
}

function insertionSort(row: Row, first: number, last: number): void {
  const { k, ix } = row;
  for (let i = first + 1; i < last; i++) {
    const key = k[i] as number;
    if (key < (k[first] as number)) {
      const position = ix[i] as number;
      k.copyWithin(first + 1, first, i);
      ix.copyWithin(first + 1, first, i);
      k[first] = key;
      ix[first] = position;
    } else unguardedLinearInsert(row, i);
  }
}

function pushHeap(row: Row, first: number, hole: number, top: number, key: number, at: number) {
  const { k, ix } = row;
  let h = hole;
  while (h > top) {
    const parent = (h - 1) >> 1;
    if (!((k[first + parent] as number) < key)) break;
    k[first + h] = k[first + parent] as number;
    ix[first + h] = ix[first + parent] as number;
    h = parent;
  }
  k[first + h] = key;
  ix[first + h] = at;
}

function adjustHeap(row: Row, first: number, hole: number, len: number, key: number, at: number) {
  const { k, ix } = row;
  const top = hole;
  let h = hole;
  let child = hole;
  while (child < (len - 1) >> 1) {
    child = 2 * (child + 1);
    if ((k[first + child] as number) < (k[first + child - 1] as number)) child--;
    k[first + h] = k[first + child] as number;
    ix[first + h] = ix[first + child] as number;
    h = child;
  }
  if ((len & 1) === 0 && child === (len - 2) >> 1) {
    child = 2 * (child + 1);
    k[first + h] = k[first + child - 1] as number;
    ix[first + h] = ix[first + child - 1] as number;
    h = child - 1;
  }
  pushHeap(row, first, h, top, key, at);
}

function popHeap(row: Row, first: number, last: number, result: number): void {
  const { k, ix } = row;
  const key = k[result] as number;
  const at = ix[result] as number;
  k[result] = k[first] as number;
  ix[result] = ix[first] as number;
  adjustHeap(row, first, 0, last - first, key, at);
}

function makeHeap(row: Row, first: number, len: number): void {
  for (let parent = (len - 2) >> 1; parent >= 0; parent--) {
    adjustHeap(
      row,
      first,
      parent,
      len,
      row.k[first + parent] as number,
      row.ix[first + parent] as number,
    );
  }
}

function sortHeap(row: Row, first: number, last: number): void {
  for (let end = last; end - first > 1; ) {
    end--;
    popHeap(row, first, end, end);
  }
}

function heapSelect(row: Row, first: number, middle: number, last: number): void {
  makeHeap(row, first, middle - first);
  for (let i = middle; i < last; i++) {
    if ((row.k[i] as number) < (row.k[first] as number)) popHeap(row, first, middle, i);
  }
}

/** libstdc++'s `std::partial_sort(first, middle, last)`: the smallest `middle − first`, in order. */
export function partialSort(row: Row, first: number, middle: number, last: number): void {
  heapSelect(row, first, middle, last);
  sortHeap(row, first, middle);
}

/** The elements of one row as int32 words: float32 bits (`float`) or int32 values. */
export interface WordRow {
  readonly words: Int32Array;
  readonly start: number;
  readonly stride: number;
  readonly float: boolean;
  /** True for the keys of the descending order. */
  readonly descending: boolean;
}

/**
 * {@link partialSort} of a row of `n` into `[0, k)` of a `heap` row of `k`, making each key as
 * the heap reads it: the same steps (an element past the heap enters it as `std::pop_heap` would
 * put it), without the keys and positions of the whole row.
 */
export function partialSortStreaming(heap: Row, k: number, n: number, row: WordRow): void {
  const { words, start, stride, float } = row;
  const flip = row.descending ? -1 : 0;
  const { k: keys, ix } = heap;
  for (let i = 0; i < k; i++) {
    const w = words[start + i * stride] as number;
    keys[i] = (float ? floatKey(w) : w) ^ flip;
    ix[i] = i;
  }
  makeHeap(heap, 0, k);
  let top = keys[0] as number;
  for (let i = k, at = start + k * stride; i < n; i++, at += stride) {
    const w = words[at] as number;
    const key = (float ? floatKey(w) : w) ^ flip;
    if (key < top) {
      adjustHeap(heap, 0, 0, k, key, i);
      top = keys[0] as number;
    }
  }
  sortHeap(heap, 0, k);
}

function introsortLoop(row: Row, first: number, last: number, depth: number): void {
  let end = last;
  let budget = depth;
  while (end - first > SORT_THRESHOLD) {
    if (budget === 0) {
      partialSort(row, first, end, end);
      return;
    }
    budget--;
    const cut = partitionPivot(row, first, end);
    introsortLoop(row, cut, end, budget);
    end = cut;
  }
}

/** libstdc++'s `std::sort` (introsort, then a final insertion sort) on `[first, last)`. */
export function introsort(row: Row, first: number, last: number): void {
  if (last - first < 2) return;
  introsortLoop(row, first, last, 2 * lg(last - first));
  if (last - first > SORT_THRESHOLD) {
    insertionSort(row, first, first + SORT_THRESHOLD);
    for (let i = first + SORT_THRESHOLD; i < last; i++) unguardedLinearInsert(row, i);
  } else insertionSort(row, first, last);
}

/** libstdc++'s `std::nth_element(first, nth, last)` (introselect). */
export function nthElement(row: Row, first: number, nth: number, last: number): void {
  if (first === last || nth === last) return;
  let lo = first;
  let hi = last;
  let depth = 2 * lg(last - first);
  while (hi - lo > 3) {
    if (depth === 0) {
      heapSelect(row, lo, nth + 1, hi);
      swap(row, lo, nth);
      return;
    }
    depth--;
    const cut = partitionPivot(row, lo, hi);
    if (cut <= nth) lo = cut;
    else hi = cut;
  }
  insertionSort(row, lo, hi);
}

/**
 * PyTorch's `quick_select_template` (what `kthvalue` runs): moves the `kth` smallest (0-based)
 * of `[0, n)` to position `kth`.
 */
export function quickSelect(row: Row, n: number, kth: number): void {
  const { k } = row;
  const after = (a: number, b: number): boolean => (k[b] as number) < (k[a] as number);
  let left = 0;
  let right = n - 1;
  for (;;) {
    if (right <= left) return;
    if (right === left + 1) {
      if (after(left, right)) swap(row, left, right);
      return;
    }
    swap(row, left + ((right - left) >> 1), left + 1);
    if (after(left + 1, right)) swap(row, left + 1, right);
    if (after(left, right)) swap(row, left, right);
    if (after(left + 1, left)) swap(row, left + 1, left);
    let i = left + 1;
    let j = right;
    const pivot = k[left] as number;
    for (;;) {
      do i++;
      while ((k[i] as number) < pivot);
      do j--;
      while (pivot < (k[j] as number));
      if (j < i) break;
      swap(row, i, j);
    }
    swap(row, left, j);
    if (j <= kth) left = i;
    if (j >= kth) right = j - 1;
  }
}

const DIGIT_BITS = 11;
const DIGITS = 1 << DIGIT_BITS;
const PASSES = 3;

/**
 * A stable LSD radix sort of `[0, n)` by its integer keys (so PyTorch's `stable=True` order):
 * three passes of 11 bits, all three digit histograms counted in one read of the keys, and a pass
 * skipped where every key has the same digit.
 */
export function radixSort(row: Row, n: number, scratch: Row): void {
  const counts = new Int32Array(PASSES * DIGITS);
  const keys = row.k;
  for (let i = 0; i < n; i++) {
    const u = (keys[i] as number) ^ -0x80000000;
    (counts[u & (DIGITS - 1)] as number)++;
    (counts[DIGITS + ((u >>> DIGIT_BITS) & (DIGITS - 1))] as number)++;
    (counts[2 * DIGITS + (u >>> (2 * DIGIT_BITS))] as number)++;
  }
  let from = row;
  let to = scratch;
  for (let pass = 0; pass < PASSES; pass++) {
    const base = pass * DIGITS;
    const shift = pass * DIGIT_BITS;
    const fk = from.k;
    if (counts[base + ((((fk[0] as number) ^ -0x80000000) >>> shift) & (DIGITS - 1))] === n)
      continue;
    for (let d = 0, sum = 0; d < DIGITS; d++) {
      const c = counts[base + d] as number;
      counts[base + d] = sum;
      sum += c;
    }
    const fi = from.ix;
    const tk = to.k;
    const ti = to.ix;
    for (let i = 0; i < n; i++) {
      const key = fk[i] as number;
      const d = base + (((key ^ -0x80000000) >>> shift) & (DIGITS - 1));
      const at = counts[d] as number;
      counts[d] = at + 1;
      tk[at] = key;
      ti[at] = fi[i] as number;
    }
    [from, to] = [to, from];
  }
  if (from !== row) {
    row.k.set(from.k.subarray(0, n));
    row.ix.set(from.ix.subarray(0, n));
  }
}

/** Fills `positions[0..n)` with `0, 1, …, n − 1`. */
export function countUp(positions: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) positions[i] = i;
}

/** Scratch for sorting rows of length `n`, one after another. */
export function newRow(n: number): Row {
  return { k: new Int32Array(n), ix: new Int32Array(n) };
}
