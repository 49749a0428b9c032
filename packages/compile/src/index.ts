/**
 * `@x/compile`: capture a training step once, replay it into preallocated buffers, with the same
 * results as eager execution, bit for bit.
 */
export type { CompileOptions } from "./compile";
export { compile } from "./compile";
export type { CompileErrorCode } from "./errors";
export { CompileError } from "./errors";
