import type { TypedArray } from "./dtype";

/**
 * The buffer behind one or more tensors. Views share a `Storage`; `version` counts in-place
 * writes so autograd can tell when a tensor saved for backward was modified.
 */
export class Storage {
  version = 0;
  constructor(readonly data: TypedArray) {}
}
