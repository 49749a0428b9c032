export type { ColumnValues, Fitted, Normalizer, StatsDType } from "./column-scaler";
export { ColumnScaler } from "./column-scaler";
export type { ParseCsvOptions, ParsedCsv } from "./csv";
export { parseCsv } from "./csv";
export type { DataLoaderOptions } from "./data-loader";
export { DataLoader } from "./data-loader";
export type { Dataset } from "./dataset";
export { Subset, TensorDataset } from "./dataset";
export type { DataErrorCode, DataErrorLocation } from "./errors";
export { DataError } from "./errors";
export type {
  MinMax,
  MinMaxScalerOptions,
  MinMaxScalerState,
  ScaleState,
  StandardScalerState,
} from "./scalers";
export { MinMaxScaler, Scale, StandardScaler } from "./scalers";
export type { RandomSplitOptions, SplitIndices, SplitIndicesOptions } from "./split";
export { randomSplit, splitIndices, splitLengths } from "./split";
