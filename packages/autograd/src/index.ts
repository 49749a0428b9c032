import "./install";

export { detectAnomaly, isAnomalyEnabled, setDetectAnomaly } from "./anomaly";
export type { GradOptions } from "./engine";
export { grad } from "./engine";
export type { AutogradErrorCode } from "./errors";
export { AutogradError } from "./errors";
export { Function, FunctionContext } from "./function";
export { enableGrad, isGradEnabled, noGrad, setGradEnabled } from "./grad-mode";
export type { CheckedFunction, GradcheckOptions } from "./gradcheck";
export { gradcheck, gradgradcheck } from "./gradcheck";
export type { BackwardFunction, Edge } from "./node";
export { Node } from "./node";
export type { Rule } from "./rules";
export { rules } from "./rules";
export type { WarningHandler } from "./warnings";
export { warnOnGradAccumulation } from "./warnings";
