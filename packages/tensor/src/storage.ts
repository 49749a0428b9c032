import type { TypedArray } from "./dtype";

/**
 * The buffer behind one or more tensors. Views share a `Storage`; `version` counts in-place
 * writes so autograd can tell when a tensor saved for backward was modified.
 *
 * With the pool in `pool.ts` enabled, buffers of 64 KiB and more come from it and go back once
 * `data` itself is unreachable (so never while any tensor, view or caller still holds it). Do not
 * keep a `subarray()` of `data` longer than `data`.
 */
export class Storage {
  version = 0;
  constructor(readonly data: TypedArray) {}
}
