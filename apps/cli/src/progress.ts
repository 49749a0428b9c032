import cliProgress from "cli-progress";
import { type Colors, formatDuration, formatLoss } from "./format";

/** What the progress display needs of one epoch (a subset of @x/train's record). */
export interface EpochProgress {
  epoch: number;
  trainLoss: number;
  valLoss?: number | undefined;
}

/** Shows training as it goes; {@link createProgress} picks the kind. */
export interface Progress {
  /** Called after every completed epoch. */
  update(record: EpochProgress): void;
  /** Ends the display (the bar is left on screen, at its last state). */
  stop(): void;
}

/** How training progress is shown. */
export type ProgressMode = "bar" | "lines" | "silent";

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Number of epochs planned. */
  total: number;
  /** `lines` mode: print every this many epochs (and the first and last). */
  logEvery: number;
  /** Whether there is a validation loss to show. */
  hasVal: boolean;
  colors: Colors;
  /** Where `bar` draws (a terminal) and `lines` prints. */
  stream: NodeJS.WriteStream;
}

/**
 * `bar` on a terminal (stdout and stderr both TTYs), `lines` when either is a pipe or a file (CI,
 * `| tee`), `silent` for `--json` and `--quiet`.
 */
export function progressMode(options: { json?: boolean; quiet?: boolean }): ProgressMode {
  if (options.json || options.quiet) return "silent";
  return process.stdout.isTTY && process.stderr.isTTY ? "bar" : "lines";
}

/** A live bar: epoch, train/val loss and ETA, drawn with cli-progress on a terminal. */
function barProgress({ total, hasVal, colors, stream }: ProgressOptions): Progress {
  const sep = ` ${colors.dim("│")} `;
  const val = hasVal ? `${sep}val {val}` : "";
  // The text beside the bar takes 2·digits + 47 columns (+15 with val) when losses stay under
  // 100 and the ETA under a minute; the bar gets the rest of the line.
  const text = 2 * String(total).length + (hasVal ? 62 : 47);
  const barsize = Math.max(5, Math.min(30, (stream.columns ?? 80) - text - 1));
  const bar = new cliProgress.SingleBar(
    {
      format: `${colors.cyan("{bar}")} {percentage}%${sep}epoch {value}/{total}${sep}train {train}${val}${sep}ETA {eta_formatted}`,
      barsize,
      hideCursor: true,
      gracefulExit: false,
      etaBuffer: 200,
      fps: 12,
      stream,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { train: formatLoss(undefined), val: formatLoss(undefined) });
  return {
    update: (r) =>
      bar.update(r.epoch, { train: formatLoss(r.trainLoss), val: formatLoss(r.valLoss) }),
    stop: () => bar.stop(),
  };
}

/** Plain lines (the book's `Epoch 500, Loss 7.860115`, aligned) for pipes, files and CI logs. */
function lineProgress({ total, logEvery, hasVal, stream }: ProgressOptions): Progress {
  const width = String(total).length;
  const started = Date.now();
  let last = 0;
  const print = (r: EpochProgress) => {
    const val = hasVal ? `  val loss ${formatLoss(r.valLoss)}` : "";
    const elapsed = formatDuration(Date.now() - started);
    stream.write(
      `epoch ${String(r.epoch).padStart(width)}/${total}  train loss ${formatLoss(r.trainLoss)}${val}  (${elapsed})\n`,
    );
  };
  let latest: EpochProgress | undefined;
  return {
    update(r) {
      latest = r;
      if (r.epoch === 1 || r.epoch % logEvery === 0 || r.epoch === total) {
        print(r);
        last = r.epoch;
      }
    },
    // An early stop or Ctrl-C ends between log lines: show where it ended.
    stop: () => {
      if (latest !== undefined && latest.epoch !== last) print(latest);
    },
  };
}

/** A progress display of the given mode. */
export function createProgress(mode: ProgressMode, options: ProgressOptions): Progress {
  if (mode === "bar") return barProgress(options);
  if (mode === "lines") return lineProgress(options);
  return { update: () => {}, stop: () => {} };
}

/** Every how many epochs `lines` mode prints: ten lines per run, e.g. 500 for the book's 5000. */
export function defaultLogEvery(epochs: number): number {
  return Math.max(1, Math.round(epochs / 10));
}
