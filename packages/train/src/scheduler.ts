import { ReduceLROnPlateau } from "@x/optim";
import type { SchedulerLike } from "./fit-options";

/** Steps an LR scheduler once per epoch; `ReduceLROnPlateau` gets the monitored loss. */
export function stepScheduler(scheduler: SchedulerLike, loss: number): void {
  if (scheduler instanceof ReduceLROnPlateau) scheduler.step(loss);
  else (scheduler as { step(): void }).step(); // epoch-based schedulers take no argument
}
