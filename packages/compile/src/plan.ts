import type { Storage, Tensor } from "@x/tensor";
import { type AnyOpSpec, offerBuffer, opSpecs } from "@x/tensor/internal";
import { attrTensors, sameNumbers, sameStructure } from "./attrs";
import type { Launch } from "./capture";
import { type MemoryPlan, planMemory } from "./memory-plan";

/** One kernel launch of a plan: what it reads, the attributes it runs with, where it writes. */
export interface Step {
  readonly spec: AnyOpSpec;
  /** The tensors it reads: rebound on every call to the ones the step's code passed. */
  readonly inputs: Tensor[];
  /** Its attributes (scalars included): re-read on every call. */
  attrs: unknown;
  /** Where it writes: a planned buffer, or (in place) the target the step's code passed. */
  output: Tensor;
  readonly inPlace: boolean;
  /** Per input: the planned storage it must read (an earlier step's output), or null (outside). */
  readonly planned: readonly (Storage | null)[];
  /** The same for the tensors its attrs hold (an index), in {@link attrTensors}' order. */
  readonly plannedInAttrs: readonly (Storage | null)[];
}

const copySpec = opSpecs.to;

/** Runs one step's kernel into its output. */
function run(step: Step): void {
  const { spec, inputs, attrs, output } = step;
  if (spec.into !== undefined) {
    spec.into(inputs, attrs, output);
    return;
  }
  // No in-place variant (reductions, matmul, …): the kernel allocates its output, so the plan's
  // buffer is offered to that allocation; a kernel that took it for something else is copied.
  offerBuffer(output.storage.data);
  let result: Tensor;
  try {
    result = spec.forward(inputs, attrs);
  } finally {
    offerBuffer(null);
  }
  if (result.storage.data !== output.storage.data || result.offset !== output.offset) {
    copySpec.into?.([result], { dtype: output.dtype }, output);
  }
}

/** The captured launches of one call signature, with their memory plan. */
export class Plan {
  readonly steps: Step[];
  readonly memory: MemoryPlan;
  /** The first step that writes each storage (a read of it after that step needs its values). */
  readonly firstWrite = new Map<Storage, number>();

  constructor(
    launches: readonly Launch[],
    produced: ReadonlySet<Storage>,
    escapes: ReadonlySet<Storage>,
  ) {
    this.memory = planMemory(launches, produced, escapes);
    const plannedStorage = new Map<Storage, Storage>();
    this.steps = launches.map((launch, index) => {
      const output = this.memory.outputs[index] as Tensor;
      const plannedOf = (t: Tensor) => plannedStorage.get(t.storage) ?? null;
      const planned = launch.inputs.map(plannedOf);
      const plannedInAttrs = attrTensors(launch.attrs).map(plannedOf);
      if (!launch.inPlace) plannedStorage.set(launch.output.storage, output.storage);
      return {
        spec: launch.spec,
        inputs: launch.inputs.slice(),
        attrs: launch.attrs,
        output,
        inPlace: launch.inPlace,
        planned,
        plannedInAttrs,
      };
    });
    this.steps.forEach((step, index) => {
      if (!this.firstWrite.has(step.output.storage))
        this.firstWrite.set(step.output.storage, index);
    });
  }

  /** Runs steps `[0, end)` in order. */
  run(end = this.steps.length): void {
    const { steps } = this;
    for (let i = 0; i < end; i++) run(steps[i] as Step);
  }
}

/**
 * Binds a launch the step's code makes on a later call to the plan's step `step`: the same op,
 * inputs of the same shapes and dtypes (an earlier step's output where the plan has one), and
 * attributes of the same structure. Returns false when the call has left the plan.
 */
export function bind(
  step: Step,
  spec: AnyOpSpec,
  inputs: readonly Tensor[],
  attrs: unknown,
  target: Tensor | null,
): boolean {
  if (spec !== step.spec || step.inPlace !== (target !== null)) return false;
  if (inputs.length !== step.inputs.length || !sameStructure(step.attrs, attrs)) return false;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i] as Tensor;
    const captured = step.inputs[i] as Tensor;
    const planned = step.planned[i];
    if (planned !== null && planned !== input.storage) return false;
    if (input.dtype !== captured.dtype || !sameNumbers(input.shape, captured.shape)) return false;
  }
  if (step.plannedInAttrs.length > 0) {
    const held = attrTensors(attrs);
    for (let i = 0; i < held.length; i++) {
      const planned = step.plannedInAttrs[i];
      if (planned !== null && planned !== (held[i] as Tensor).storage) return false;
    }
  }
  for (let i = 0; i < inputs.length; i++) step.inputs[i] = inputs[i] as Tensor;
  step.attrs = attrs;
  if (target !== null) step.output = target;
  return true;
}
