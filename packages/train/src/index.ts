export type { Checkpoint, CheckpointParts, StateDictModule, Stateful } from "./checkpoint";
export { CHECKPOINT_PREFIX, loadCheckpoint, saveCheckpoint } from "./checkpoint";
export type { Model, ModelFn, ModuleLike, SupervisedData, TensorPair } from "./data";
export type { EarlyStoppingOptions } from "./early-stopping";
export type { DivergedLoss, TrainErrorCode } from "./errors";
export { DivergenceError, TrainError } from "./errors";
export type { EvaluateOptions } from "./evaluate";
export { evaluate } from "./evaluate";
export type { FitAsyncOptions } from "./fit";
export { fit, fitAsync } from "./fit";
export type {
  CompileMode,
  EpochCallbackResult,
  FitOptions,
  OptimizerLike,
  SchedulerLike,
} from "./fit-options";
export { formatRecord } from "./format-record";
export type { EpochRecord, HistoryJSON, OverfittingOptions, StopReason } from "./history";
export { History } from "./history";
export type { LoadParamsOptions } from "./load-params";
export { loadParams } from "./load-params";
export * from "./losses";
export type { SafetensorsContents, SafetensorsConversion } from "./safetensors";
export { decodeSafetensors, encodeSafetensors } from "./safetensors";
export type { SafetensorsConvertedDType, SafetensorsDType } from "./safetensors-dtypes";
export type { SafetensorsHeader, SafetensorsTensorInfo } from "./safetensors-header";
export { readSafetensorsHeader } from "./safetensors-header";
