import { type DType, Storage, Tensor, type TypedArray } from "@x/tensor";
import { attrTensors } from "./attrs";
import type { Launch } from "./capture";

/** One buffer of the arena, shared by intermediates whose lifetimes do not overlap. */
interface Slot {
  readonly dtype: DType;
  readonly data: TypedArray;
}

function allocateSlot(dtype: DType, length: number): TypedArray {
  if (dtype === "float32") return new Float32Array(length);
  if (dtype === "float64") return new Float64Array(length);
  return dtype === "int32" ? new Int32Array(length) : new Uint8Array(length);
}

/** The index of the last launch that reads each storage (as an input or a tensor in its attrs). */
function lastUses(launches: readonly Launch[]): Map<Storage, number> {
  const last = new Map<Storage, number>();
  launches.forEach((launch, step) => {
    for (const input of launch.inputs) last.set(input.storage, step);
    for (const held of attrTensors(launch.attrs)) last.set(held.storage, step);
  });
  return last;
}

/** What the memory plan decided: the tensor each launch writes on replay, and the arena's size. */
export interface MemoryPlan {
  /** The output each launch writes into on replay (for an in-place launch, its captured target). */
  readonly outputs: readonly Tensor[];
  /** How many arena buffers the intermediates share, and their total elements. */
  readonly slots: number;
  readonly arenaElements: number;
}

/**
 * Liveness over the captured launches: an intermediate (a fresh output that is read later and
 * never seen outside the step) gets an arena buffer that later intermediates reuse once its
 * last reader has run; outputs that `escape` keep the buffer the capture gave them.
 */
export function planMemory(
  launches: readonly Launch[],
  produced: ReadonlySet<Storage>,
  escapes: ReadonlySet<Storage>,
): MemoryPlan {
  const last = lastUses(launches);
  const free: Slot[] = [];
  const busy = new Map<number, Slot[]>();
  const outputs: Tensor[] = [];
  let slots = 0;
  let arenaElements = 0;
  launches.forEach((launch, step) => {
    const { output } = launch;
    const end = last.get(output.storage);
    const planned =
      launch.inPlace ||
      !produced.has(output.storage) ||
      escapes.has(output.storage) ||
      end === undefined;
    if (planned) {
      outputs.push(output);
    } else {
      const length = output.storage.data.length;
      const fit = free
        .filter((slot) => slot.dtype === output.dtype && slot.data.length >= length)
        .sort((a, b) => a.data.length - b.data.length)[0];
      let slot = fit;
      if (slot === undefined) {
        slot = { dtype: output.dtype, data: allocateSlot(output.dtype, length) };
        slots++;
        arenaElements += length;
      } else free.splice(free.indexOf(slot), 1);
      const data = slot.data.length === length ? slot.data : slot.data.subarray(0, length);
      outputs.push(
        new Tensor(new Storage(data), output.shape, output.strides, output.offset, output.dtype),
      );
      busy.set(end, [...(busy.get(end) ?? []), slot]);
    }
    for (const slot of busy.get(step) ?? []) free.push(slot);
    busy.delete(step);
  });
  return { outputs, slots, arenaElements };
}
