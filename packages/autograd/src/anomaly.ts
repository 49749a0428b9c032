import { anomaly } from "./node";

/**
 * Turns anomaly detection on or off (like `torch.autograd.set_detect_anomaly`): graph nodes
 * remember the stack where they were created, and backward throws `ANOMALY` naming the op
 * whose gradient became NaN or infinite, with that stack. Slows recording; for debugging only.
 */
export function setDetectAnomaly(enabled: boolean): void {
  anomaly.enabled = enabled;
}

/** True while anomaly detection is on. */
export function isAnomalyEnabled(): boolean {
  return anomaly.enabled;
}

/** Runs `fn` with anomaly detection on, restoring the previous setting afterwards. */
export function detectAnomaly<T>(fn: () => T): T {
  const previous = anomaly.enabled;
  anomaly.enabled = true;
  try {
    return fn();
  } finally {
    anomaly.enabled = previous;
  }
}
