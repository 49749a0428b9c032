export type { DivergedLoss, TrainErrorCode } from "./errors";
export { DivergenceError, TrainError } from "./errors";
export type { HuberLossOptions, LossFn, LossOptions, Reduction } from "./losses";
export { huberLoss, l1Loss, mseLoss } from "./losses";
