// Types of harness.mjs (the peers' harness), for src/ours.ts.
export interface Args {
  only: Set<string> | null;
  quick: boolean;
  rest: string[];
  want(workload: string): boolean;
}
export interface Timing {
  best: number;
  median: number;
  reps: number;
  warmup_only: boolean;
}
export const now: () => number;
export function parseArgs(argv?: string[]): Args;
export function emit(
  peer: string,
  workload: string,
  size: string | number,
  metric: string,
  value: number | null,
  unit: string,
  extra?: Record<string, unknown>,
): void;
export function guarded(
  peer: string,
  workload: string,
  size: string | number,
  metric: string,
  unit: string,
  body: () => void | Promise<void>,
): Promise<void>;
export function timeReps(
  fn: () => void,
  options?: { minReps?: number; maxReps?: number; budgetMs?: number },
): Timing;
export function perOp(
  op: () => void,
  options?: { n?: number; warm?: number; budgetMs?: number; minN?: number },
): { usPerOp: number; count: number };
export const T_C: number[];
export const T_U: number[];
export const W1_EPOCHS: number;
export const W1_LR: number;
export function checkW1(
  w: number,
  b: number,
  loss: number,
): { w: number; b: number; loss: number; ok: boolean };
export const W5: {
  B: number;
  IN: number;
  HID: number;
  OUT: number;
  LR: number;
  WARM: number;
  STEPS: number;
};
export function w5Data(): {
  X: Float64Array;
  Y: Float64Array;
  W1: Float64Array;
  b1: Float64Array;
  W2: Float64Array;
  b2: Float64Array;
};
export const W10: {
  B: number;
  C: number;
  H: number;
  W: number;
  OUT: number;
  K: number;
  CLASSES: number;
  LR: number;
  WARM: number;
  STEPS: number;
};
export function w10Data(): {
  X: Float32Array;
  labels: number[];
  convW: Float32Array;
  convB: Float32Array;
  linW: Float32Array;
  linB: Float32Array;
};
export function randomArray<T extends Float32Array | Float64Array>(
  n: number,
  Ctor?: { new (n: number): T },
  seed?: number,
): T;
export const SIZES: { W2: number[]; W3: number[]; W4: number[] };
export function sizeLabel(n: number): string;
