import type { EpochRecord } from "./history";

/**
 * One log line in the book's format: `Epoch 500, Training loss 7.8601, Validation loss 2.9720`
 * (four decimals; the validation part only when the record has one).
 */
export function formatRecord(record: EpochRecord): string {
  const train = `Epoch ${record.epoch}, Training loss ${record.trainLoss.toFixed(4)}`;
  return record.valLoss === undefined
    ? train
    : `${train}, Validation loss ${record.valLoss.toFixed(4)}`;
}
