import { describe, expect, it } from "vitest";
import { type EpochRecord, History, TrainError } from "../src/index";

const record = (epoch: number, trainLoss: number, valLoss?: number): EpochRecord =>
  valLoss === undefined
    ? { epoch, trainLoss, lr: 0.01, ms: 1 }
    : { epoch, trainLoss, valLoss, lr: 0.01, ms: 1 };

describe("History", () => {
  const overfit = new History([record(1, 9, 8), record(2, 5, 4), record(3, 3, 5), record(4, 2, 6)]);

  it("finds the best epoch by validation loss (earliest on ties)", () => {
    expect(overfit.bestEpoch()).toBe(2);
    expect(overfit.bestValLoss()).toBe(4);
    expect(overfit.bestRecord()).toEqual(record(2, 5, 4));
    expect(new History([record(1, 3, 2), record(2, 2, 2)]).bestEpoch()).toBe(1);
  });

  it("uses the training loss without validation", () => {
    const h = new History([record(1, 3), record(2, 1), record(3, 2)]);
    expect(h.bestEpoch()).toBe(2);
    expect(h.bestValLoss()).toBeUndefined();
    expect(h.isOverfitting()).toBe(false);
  });

  it("reports overfitting: validation lowest at E, higher now, training still falling", () => {
    expect(overfit.isOverfitting()).toBe(true);
    expect(overfit.isOverfitting({ patience: 2 })).toBe(true);
    expect(overfit.isOverfitting({ patience: 3 })).toBe(false);
    // Both losses rising is not overfitting (it is divergence or a too-high learning rate).
    expect(new History([record(1, 1, 1), record(2, 2, 2)]).isOverfitting()).toBe(false);
    // Validation still at its best.
    expect(new History([record(1, 2, 2), record(2, 1, 1)]).isOverfitting()).toBe(false);
    expect(new History().isOverfitting()).toBe(false);
    expect(new History().bestEpoch()).toBeUndefined();
  });

  it("minGap: a gap that is small or did not grow, relative to the loss, is not overfitting", () => {
    // Converged: both losses move in their last float32 digits after epoch 1.
    const jitter = new History([record(1, 0.087584, 0.087585), record(2, 0.087583, 0.087586)]);
    expect(jitter.isOverfitting()).toBe(true);
    expect(jitter.isOverfitting({ minGap: 0.01 })).toBe(false);
    expect(overfit.isOverfitting({ minGap: 0.01 })).toBe(true);
    // The last gap is 4 of the validation loss 6 (it grew by 5): above 0.6, not above 0.7.
    expect(overfit.isOverfitting({ minGap: 0.6 })).toBe(true);
    expect(overfit.isOverfitting({ minGap: 0.7 })).toBe(false);
    // Validation below training (an easier validation set) is no gap at all.
    expect(new History([record(1, 5, 3), record(2, 4, 3.5)]).isOverfitting()).toBe(false);
  });

  it("knows how the run ended", () => {
    expect(new History([], "aborted").aborted).toBe(true);
    expect(new History([], "onEpoch").stoppedEarly).toBe(true);
    expect(new History([], "completed").stoppedEarly).toBe(false);
    expect(overfit.last).toEqual(record(4, 2, 6));
  });

  it("round-trips through JSON", () => {
    const h = new History([record(1, 2, 3), record(2, 1)], "earlyStopping", 1);
    const again = History.fromJSON(JSON.parse(JSON.stringify(h)));
    expect(again.toJSON()).toEqual(h.toJSON());
    expect(History.isInstance(again)).toBe(true);
    expect(History.isInstance({ records: [] })).toBe(false);
  });

  it("fromJSON rejects anything else", () => {
    const bad = () => History.fromJSON({ records: [record(1, 2)], stopReason: "done" });
    expect(bad).toThrow(TrainError);
    expect(bad).toThrow(
      'History.fromJSON: expected { records: [{ epoch, trainLoss, valLoss?, lr, ms }], stopReason } vs got object with records an array of length 1 and stopReason "done". Hint: pass the output of history.toJSON().',
    );
    expect(() => History.fromJSON(null)).toThrow(
      "vs got null with records undefined and stopReason undefined",
    );
  });
});
