/**
 * A size-class pool for large tensor buffers. Touching fresh memory is expensive (on some
 * virtual machines ~13 µs per new 4 KiB page), so buffers of at least {@link POOL_MIN_BYTES}
 * are recycled: a `FinalizationRegistry` watches each typed array handed out, and once the
 * garbage collector has found it unreachable, its `ArrayBuffer` goes back to the pool.
 *
 * Safety: the registry watches the typed array itself, not the `Storage` or tensor around it,
 * so a buffer returns only when nothing at all can reach that array: no tensor, no view
 * sharing its storage, no caller holding the array (e.g. from `toTypedArray()`). The one rule
 * for code in this package: never keep a `subarray()` (or another view of `.buffer`) of a
 * pooled array longer than the array itself.
 *
 * Limits: the registry reports dead arrays only after a garbage collection, in a task of its
 * own, so a long synchronous loop gets no buffers back until it yields to the event loop.
 * Until then the registry holds every dead buffer, so at most {@link MAX_WATCHED_BYTES} are
 * watched at a time; beyond that, allocations are plain (unpooled) typed arrays.
 *
 * Off by default (turn on with {@link setPoolEnabled}). Measured on Node 20 (V8 11.3): V8's
 * minor GCs (scavenges, which is what external-memory pressure from large typed arrays
 * triggers) keep registered targets alive, so dead arrays are found only by the rare full
 * GCs: in a loop of `a.mul(b).add(c)` on 1M floats that yields between calls, 12 of 120
 * allocations were served from the pool, with no measurable speed-up, while up to 64 MiB of
 * dead buffers stayed pinned (+50 MB peak RSS on W4/W5).
 */

/** Buffers smaller than this are plain typed arrays (V8 allocates those cheaply). */
export const POOL_MIN_BYTES = 64 * 1024;
/** Most bytes handed out and not yet seen dead (the memory a synchronous loop can pin). */
const MAX_WATCHED_BYTES = 64 * 2 ** 20;
/** Most bytes kept in the pool's free lists. */
const MAX_FREE_BYTES = 256 * 2 ** 20;

/** A typed-array constructor that can view part of an existing buffer. */
export interface ViewConstructor<T> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

const free = new Map<number, ArrayBuffer[]>();
let freeBytes = 0;
let watchedBytes = 0;
let reused = 0;
let enabled = false;

const registry =
  typeof FinalizationRegistry === "function" ? new FinalizationRegistry(release) : null;

function release(buffer: ArrayBuffer): void {
  const bytes = buffer.byteLength;
  watchedBytes -= bytes;
  if (freeBytes + bytes > MAX_FREE_BYTES) return; // let the garbage collector have it
  const list = free.get(bytes);
  if (list === undefined) free.set(bytes, [buffer]);
  else list.push(buffer);
  freeBytes += bytes;
}

/**
 * The size class of a request: rounded up to the next eighth of its power of two, so a
 * buffer serves requests up to 12.5% smaller than itself.
 */
export function sizeClass(bytes: number): number {
  const step = 2 ** Math.ceil(Math.log2(bytes)) / 8;
  return Math.ceil(bytes / step) * step;
}

/**
 * A typed array of `length` elements, zero-filled unless `zeroed` is false (then it may hold
 * stale values: only for callers that overwrite every element). Large arrays come from the
 * pool when it has a free buffer of their size class.
 */
export function allocatePooled<T extends { fill(value: number): T }>(
  Type: ViewConstructor<T>,
  length: number,
  zeroed: boolean,
): T {
  const bytes = length * Type.BYTES_PER_ELEMENT;
  if (bytes < POOL_MIN_BYTES || registry === null || !enabled) return new Type(length);
  const size = sizeClass(bytes);
  const buffer = free.get(size)?.pop();
  let array: T;
  if (buffer !== undefined) {
    freeBytes -= size;
    reused++;
    array = new Type(buffer, 0, length);
    if (zeroed) array.fill(0);
    registry.register(array, buffer);
  } else {
    if (watchedBytes + size > MAX_WATCHED_BYTES) return new Type(length);
    const fresh = new ArrayBuffer(size);
    array = new Type(fresh, 0, length);
    registry.register(array, fresh);
  }
  watchedBytes += size;
  return array;
}

/** Counters of the pool, for tests and benchmarks. */
export interface PoolStats {
  /** Bytes in the free lists. */
  freeBytes: number;
  /** Bytes handed out and not yet seen dead. */
  watchedBytes: number;
  /** Allocations served from the free lists so far. */
  reused: number;
}

/** The pool's counters. */
export function poolStats(): PoolStats {
  return { freeBytes, watchedBytes, reused };
}

/** Empties the free lists (their buffers become garbage). */
export function drainPool(): void {
  free.clear();
  freeBytes = 0;
}

/**
 * Turns the pool on or off (it starts off); returns the previous setting. Arrays already
 * handed out stay watched either way, and come back to the free lists when they die.
 */
export function setPoolEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}
