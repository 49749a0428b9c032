import type { Storage, Tensor } from "@x/tensor";
import { describeValue, setTracer, type Tracer } from "@x/tensor/internal";
import { CaptureTracer, type Launch } from "./capture";
import { CompileError } from "./errors";
import { bind, Plan } from "./plan";
import { watchReads } from "./reads";
import { returnedStorages, SignatureCache } from "./signature";

/** Options of {@link compile}. */
export interface CompileOptions {
  /**
   * What happens when the step cannot be captured (a value read with `item()`, an op whose
   * output shape depends on values, …): `"error"` throws a {@link CompileError} (the default);
   * `"eager"` runs that call signature eagerly from then on, with the same results.
   */
  fallback?: "error" | "eager";
}

/** How a compiled function handles one call signature. */
interface Entry {
  plan: Plan | null;
  eager: boolean;
  captures: number;
}

/** What a compiled function has done so far (internal: tests and the bench read it). */
export interface CompileStats {
  /** Calls that ran a plan. */
  replays: number;
  /** Calls that captured a plan. */
  captures: number;
  /** Calls that ran eagerly (a fallback, or a call that left its plan). */
  eager: number;
  /** The plans, by call signature. */
  readonly plans: Map<string, Plan | null>;
}

const statsOf = new WeakMap<AnyFunction, CompileStats>();

/** The stats of a function returned by {@link compile} (internal). */
export function compileStats(compiled: AnyFunction): CompileStats | undefined {
  return statsOf.get(compiled);
}

/** Plans kept per compiled function (like `torch.compile`'s recompile cache). */
const MAX_SIGNATURES = 8;
/** Captures of one signature before it counts as changing on every call. */
const MAX_CAPTURES = 8;

// biome-ignore lint/suspicious/noExplicitAny: compile keeps any function's own signature
type AnyFunction = (...args: any[]) => any;

/**
 * Compiles a training step: the first call with a new signature (the tensor arguments' dtypes,
 * shapes and `requiresGrad` flags, and grad mode) runs `fn` eagerly and captures every kernel
 * launch — the forward pass, the backward pass autograd runs, the optimizer's in-place updates —
 * into a plan with a static memory plan. Later calls run `fn`'s JavaScript with the kernels held
 * back: each launch is matched to the plan and its scalars (a learning rate, a bias correction)
 * re-read, then the plan runs the kernels into its preallocated buffers. Parameters, their
 * `.grad`, optimizer state and the returned tensors then hold what eager execution would have
 * left, bit for bit. When a call makes other launches than the plan (control flow changed), the
 * launches matched so far run, the call finishes eagerly, and the next call captures again.
 *
 * The returned tensors, and `.grad` tensors the step creates, are the plan's buffers: the next
 * call overwrites them (clone what you keep). A tensor made inside the step, kept outside it and
 * read again by a later op of the step may share a buffer with other intermediates.
 *
 * @example
 * const step = compile((x: Tensor, y: Tensor) => {
 *   optimizer.zeroGrad();
 *   const loss = lossFn(model(x), y);
 *   loss.backward();
 *   optimizer.step();
 *   return loss;
 * });
 * for (let epoch = 0; epoch < 5000; epoch++) step(tUn, tC);
 */
export function compile<Args extends unknown[], Result>(
  fn: (...args: Args) => Result,
  options: CompileOptions = {},
): (...args: Args) => Result {
  if (typeof fn !== "function") {
    throw new CompileError(
      "INVALID_ARGUMENT",
      "compile",
      `fn must be a function, but got ${describeValue(fn)}. Hint: pass the training step, e.g. compile((x, y) => { ... }).`,
    );
  }
  const fallback = options.fallback ?? "error";
  if (fallback !== "error" && fallback !== "eager") {
    throw new CompileError(
      "INVALID_ARGUMENT",
      "compile",
      `options.fallback must be "error" or "eager", but got ${describeValue(fallback)}.`,
    );
  }
  const step = new CompiledStep(fn as AnyFunction, fallback);
  const compiled = (...args: Args): Result => step.call(args) as Result;
  statsOf.set(compiled, step.stats);
  return compiled;
}

/**
 * True while a compiled function captures or replays: a compiled function called inside another
 * runs its code inline, so its launches belong to the outer plan (one tracer at a time).
 */
let running = false;

/** The plans of one compiled function, by call signature, and what each call does. */
class CompiledStep {
  readonly stats: CompileStats = { replays: 0, captures: 0, eager: 0, plans: new Map() };
  private readonly entries = new Map<string, Entry>();
  private readonly signatures = new SignatureCache();

  constructor(
    private readonly fn: AnyFunction,
    private readonly fallback: "error" | "eager",
  ) {}

  call(args: unknown[]): unknown {
    if (running) return this.fn(...args);
    running = true;
    try {
      return this.run(args);
    } finally {
      running = false;
    }
  }

  private run(args: unknown[]): unknown {
    const { fn, stats } = this;
    const key = this.signatures.of(args);
    const entry = this.entryFor(key);
    if (entry.plan !== null) {
      const result = replay(entry, entry.plan, fn, args);
      if (entry.plan !== null) stats.replays++;
      else this.dropped(key);
      return result;
    }
    if (!entry.eager && entry.captures >= MAX_CAPTURES) this.giveUp(entry);
    if (entry.eager) {
      stats.eager++;
      return fn(...args);
    }
    entry.captures++;
    const result = capture(entry, fn, args, this.fallback);
    if (entry.eager) stats.eager++;
    else stats.captures++;
    stats.plans.set(key, entry.plan);
    return result;
  }

  private entryFor(key: string): Entry {
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (this.entries.size >= MAX_SIGNATURES) {
        this.entries.delete(this.entries.keys().next().value as string);
      }
      entry = { plan: null, eager: false, captures: 0 };
      this.entries.set(key, entry);
    }
    return entry;
  }

  /** A call that left its plan ran eagerly; the next one captures again. */
  private dropped(key: string): void {
    this.stats.eager++;
    this.stats.plans.set(key, null);
  }

  /** Too many captures of one signature: an error, or eager from now on. */
  private giveUp(entry: Entry): void {
    if (this.fallback === "error") {
      throw new CompileError(
        "RECAPTURE_LIMIT",
        "compile",
        `the step launched different ops on ${MAX_CAPTURES} captures with the same arguments' shapes, so no plan holds. Hint: keep control flow that changes from call to call out of the compiled function, or pass { fallback: "eager" }.`,
      );
    }
    entry.eager = true;
  }
}

/** Runs `fn` eagerly while recording its launches; keeps the plan unless something was refused. */
function capture(entry: Entry, fn: AnyFunction, args: unknown[], fallback: string): unknown {
  let refused = false;
  const refuse = (error: CompileError): void => {
    if (fallback === "error") throw error;
    refused = true;
    stop();
  };
  const tracer = new CaptureTracer(refuse);
  const restoreReads = watchReads((op, tensor) => {
    if (!refused && tracer.written.has(tensor.storage)) refuse(readError(op));
  });
  const stop = (): void => {
    setTracer(null);
    restoreReads();
  };
  setTracer(tracer);
  let result: unknown;
  try {
    result = fn(...args);
  } finally {
    stop();
  }
  if (refused) entry.eager = true;
  else entry.plan = new Plan(tracer.launches, tracer.produced, escapes(result, tracer.launches));
  return result;
}

function readError(op: string): CompileError {
  return new CompileError(
    "UNCAPTURABLE_READ",
    op,
    `reading the values of a tensor the step computed, inside a compiled function, cannot be captured (the plan holds the kernels back until the step's code has run). Hint: return the tensor and call ${op}() on it after the step, or pass { fallback: "eager" }.`,
  );
}

/** Storages a user can see after the step: what it returns, and every `.grad` it touched. */
function escapes(result: unknown, launches: readonly Launch[]): Set<Storage> {
  const seen = returnedStorages(result);
  for (const launch of launches) {
    for (const tensor of [...launch.inputs, launch.output]) {
      if (tensor.grad !== null) seen.add(tensor.grad.storage);
    }
  }
  return seen;
}

/**
 * Runs `fn`'s JavaScript with its kernel launches bound to the plan's steps (no kernel runs, no
 * buffer is allocated), then the plan. When the launches leave the plan, or a value is read, the
 * steps bound so far run and the rest of the call runs eagerly; the plan is dropped.
 */
function replay(entry: Entry, plan: Plan, fn: AnyFunction, args: unknown[]): unknown {
  let cursor = 0;
  let left = false;
  const leave = (): void => {
    if (left) return;
    left = true;
    stop();
    plan.run(cursor);
  };
  const tracer: Tracer = {
    launch() {},
    replace(spec, inputs, attrs, target) {
      if (spec.view === true) return null;
      const step = plan.steps[cursor];
      if (step === undefined || !bind(step, spec, inputs, attrs, target)) {
        leave();
        return null;
      }
      cursor++;
      return step.output as Tensor;
    },
  };
  const restoreReads = watchReads((_op, tensor) => {
    if ((plan.firstWrite.get(tensor.storage) ?? cursor) < cursor) leave();
  });
  const stop = (): void => {
    setTracer(null);
    restoreReads();
  };
  setTracer(tracer);
  try {
    const result = fn(...args);
    if (cursor !== plan.steps.length) leave();
    return result;
  } finally {
    if (left) entry.plan = null;
    else {
      stop();
      plan.run(cursor);
    }
  }
}
