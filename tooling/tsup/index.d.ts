import type { Options } from "tsup";
/** The shared tsup options for an @x library package, with per-package overrides. */
export declare function libraryConfig(overrides?: Options): Options;
