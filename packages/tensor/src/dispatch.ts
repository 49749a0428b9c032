import { TensorError } from "./errors";
import type { AnyOpSpec, OpSpec } from "./op-spec";
import type { Tensor } from "./tensor";
import { markView } from "./view-meta";

/** Options of `Tensor.backward()`. */
export interface BackwardOptions {
  /** Gradient of some scalar with respect to this tensor; required unless it has one element. */
  gradient?: Tensor | number | undefined;
  /** Keep the graph so `backward()` can run through it again. */
  retainGraph?: boolean | undefined;
  /** Record the backward pass itself, so gradients can be differentiated again. */
  createGraph?: boolean | undefined;
}

/** What `@x/autograd` installs into its copy of `@x/tensor` (internal). */
export interface AutogradHooks {
  /** Called after an op whose inputs include a tensor that requires grad, while grad mode is on. */
  record(spec: AnyOpSpec, inputs: readonly Tensor[], output: Tensor, attrs: unknown): void;
  /**
   * Called before an in-place op writes `others` into `target`; may throw (a leaf that requires
   * grad, or a view of one). Derives a stale view's `gradFn` again first.
   */
  checkInPlace(op: string, target: Tensor, others: readonly Tensor[]): void;
  /** Makes `target` the output of `result`'s graph node (after an in-place op wrote `result` into it). */
  rebase(result: Tensor, target: Tensor): void;
  /** Runs `tensor.backward()`. */
  backward(tensor: Tensor, options: BackwardOptions): void;
}

/**
 * Sees every kernel launch (internal: what `@x/compile` captures): the spec, the input tensors
 * (their buffers), the output, and the attributes, which carry every scalar argument.
 * `inPlace` launches wrote into `output`, which is also `inputs[0]`'s storage.
 */
export interface Tracer {
  launch(
    spec: AnyOpSpec,
    inputs: readonly Tensor[],
    output: Tensor,
    attrs: unknown,
    inPlace: boolean,
  ): void;
  /**
   * Optional: takes over a launch before its kernel runs. Returning a tensor skips the kernel:
   * `dispatch` returns that tensor as the output, and an in-place launch (`target` set) writes
   * nothing. Returning null runs the kernel, then shows the launch to `launch` as usual. Only
   * launches made outside another op's kernel reach the tracer.
   */
  replace?(
    spec: AnyOpSpec,
    inputs: readonly Tensor[],
    attrs: unknown,
    target: Tensor | null,
  ): Tensor | null;
}

/** One loaded copy of `@x/tensor` and what is installed into it. */
interface CopyState {
  /** Where the copy was loaded from, for the two-copies error. */
  readonly name: string;
  autograd: AutogradHooks | null;
  tracer: Tracer | null;
  /** How many kernels are running (a kernel may launch others; the tracer sees the outermost). */
  depth: number;
}

/** The process-wide seam, shared by every copy of `@x/tensor` through `globalThis`. */
interface Seam {
  /** Grad mode (like PyTorch's thread-local flag): one for the whole realm. */
  gradEnabled: boolean;
  readonly copies: CopyState[];
}

const SEAM_KEY = Symbol.for("@x/tensor/seam@1");

/** Names this module's file from a stack trace (a bundle's URL in browsers). */
function describeCopy(index: number): string {
  const file = /(?:file|https?):\/\/[^\s)]+|\/[^\s):]+\.[cm]?[jt]s/.exec(new Error().stack ?? "");
  return `copy ${index + 1} (${file?.[0].replace(/:\d+:\d+$/, "") ?? "unknown location"})`;
}

const host = globalThis as { [SEAM_KEY]?: Seam };
const seam: Seam = host[SEAM_KEY] ?? { gradEnabled: true, copies: [] };
host[SEAM_KEY] = seam;
const local: CopyState = {
  name: describeCopy(seam.copies.length),
  autograd: null,
  tracer: null,
  depth: 0,
};
seam.copies.push(local);

/** True when ops record gradients (the default); see `@x/autograd`'s `noGrad`. */
export function isGradEnabled(): boolean {
  return seam.gradEnabled;
}

/** Switches grad mode for every copy of `@x/tensor` in this realm (internal: `@x/autograd`). */
export function setGradMode(enabled: boolean): void {
  seam.gradEnabled = enabled;
}

/** Installs (or, with `null`, removes) autograd for this copy of `@x/tensor` (internal). */
export function setAutogradHooks(hooks: AutogradHooks | null): void {
  local.autograd = hooks;
}

/** The installed autograd hooks of this copy, or null. */
export function autogradHooks(): AutogradHooks | null {
  return local.autograd;
}

/** Installs (or removes) the tracer that sees every kernel launch (internal). */
export function setTracer(tracer: Tracer | null): void {
  local.tracer = tracer;
}

/** True while a tracer (a compile capture or replay) watches the kernel launches (internal). */
export function isTracing(): boolean {
  return local.tracer !== null;
}

/**
 * The error for a tensor of this copy meeting an autograd installed into another copy: the
 * classic dual-package case (an ESM `import` beside a CJS `require`, or two bundled versions).
 */
export function twoCopiesError(op: string): TensorError | null {
  const others = seam.copies.filter((copy) => copy !== local && copy.autograd !== null);
  if (others.length === 0) return null;
  return new TensorError(
    "TWO_COPIES",
    op,
    `two copies of @x/tensor are loaded: this tensor comes from ${local.name}, but @x/autograd was installed into ${others.map((c) => c.name).join(", ")}, so its gradients cannot be recorded. Hint: load @x/tensor and @x/autograd the same way (both with import, or both with require), and dedupe @x/tensor in your bundle.`,
  );
}

/**
 * True for a view whose base was written in place by a recorded op since the view's `gradFn`
 * was derived: autograd derives it again when the view is used (so it may come to require grad).
 */
function isStaleView(t: Tensor): boolean {
  const meta = t.viewMeta;
  return meta !== null && meta.base.gradFn !== meta.baseGradFn;
}

/** True when an op on `inputs` must be recorded for backward. */
export function isTracked(inputs: readonly Tensor[]): boolean {
  if (!seam.gradEnabled) return false;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i] as Tensor;
    if (input.requiresGrad || isStaleView(input)) return true;
  }
  return false;
}

function record(spec: AnyOpSpec, inputs: readonly Tensor[], output: Tensor, attrs: unknown): void {
  const hooks = local.autograd;
  if (hooks !== null) hooks.record(spec, inputs, output, attrs);
  else {
    const error = twoCopiesError(spec.name);
    if (error !== null) throw error;
  }
}

/**
 * The dispatch seam: every op runs its kernel here. Runs `spec.forward`, shows the launch to
 * the tracer, and lets autograd record it when an input requires grad and grad mode is on.
 */
export function dispatch<Attrs>(
  spec: OpSpec<string, Attrs>,
  inputs: readonly Tensor[],
  attrs: Attrs,
): Tensor {
  const tracer = local.depth === 0 ? local.tracer : null;
  const replaced = tracer?.replace?.(spec, inputs, attrs, null) ?? null;
  const output = replaced ?? runKernel(spec, inputs, attrs);
  if (spec.view === true) markView(output, inputs[0] as Tensor);
  if (tracer !== null && replaced === null) tracer.launch(spec, inputs, output, attrs, false);
  if (isTracked(inputs)) record(spec, inputs, output, attrs);
  return output;
}

function runKernel<Attrs>(spec: OpSpec<string, Attrs>, inputs: readonly Tensor[], attrs: Attrs) {
  local.depth++;
  try {
    return spec.forward(inputs, attrs);
  } finally {
    local.depth--;
  }
}

/**
 * Runs an in-place kernel, `spec.into(inputs, attrs, target)`, and shows it to the tracer, unless
 * the tracer takes the launch over (see {@link Tracer.replace}).
 */
export function launchInPlace<Attrs>(
  spec: OpSpec<string, Attrs>,
  inputs: readonly Tensor[],
  attrs: Attrs,
  target: Tensor,
): void {
  const tracer = local.depth === 0 ? local.tracer : null;
  if (tracer?.replace?.(spec, inputs, attrs, target) != null) return;
  (spec.into as NonNullable<typeof spec.into>)(inputs, attrs, target);
  tracer?.launch(spec, inputs, target, attrs, true);
}

/** Shows an in-place kernel launch (one that wrote into `target`) to the tracer. */
export function traceInPlace(
  spec: AnyOpSpec,
  inputs: readonly Tensor[],
  target: Tensor,
  attrs: unknown,
): void {
  if (local.tracer !== null && local.depth === 0)
    local.tracer.launch(spec, inputs, target, attrs, true);
}

/** Lets the installed autograd refuse an in-place write of `others` into `target` (leaves, views). */
export function checkInPlace(op: string, target: Tensor, others: readonly Tensor[] = []): void {
  if (local.autograd !== null && seam.gradEnabled) local.autograd.checkInPlace(op, target, others);
}

/** Makes `target` the output of `result`'s graph node after an in-place op (autograd only). */
export function rebase(result: Tensor, target: Tensor): void {
  local.autograd?.rebase(result, target);
}
