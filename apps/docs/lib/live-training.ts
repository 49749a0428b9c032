// Live training for the demos: a batch of epochs per animation frame, paused while the page is
// hidden and stopped for good when the component goes away.
import {
  type ComputedRef,
  computed,
  onBeforeUnmount,
  onMounted,
  type Ref,
  ref,
  type ShallowRef,
  shallowRef,
  type WatchSource,
  watch,
} from "vue";
import { attempt } from "./demo";

/** Training per frame stops after this long, so the page stays responsive on a slow machine. */
const FRAME_BUDGET_MS = 12;
/**
 * The charts are redrawn at most this often: redrawing costs more than a few epochs of these
 * small models, so training runs every frame and drawing every few.
 */
const REDRAW_MS = 50;

/** What `useAnimationLoop` gives a demo. */
export interface AnimationLoop {
  /** True while the demo wants frames: started, not paused, not finished. */
  running: Ref<boolean>;
  /** True while the page is hidden (another tab, a minimised window): no frames run then. */
  hidden: Ref<boolean>;
  /** Starts or resumes the loop. */
  play(): void;
  /** Stops asking for frames until `play()`. */
  pause(): void;
}

/**
 * Calls `frame` once per animation frame while running and the page is visible; `frame`
 * returns false when there is nothing left to do, which ends the run. Hiding the page (the
 * `visibilitychange` event) cancels the pending frame, showing it again resumes.
 */
export function useAnimationLoop(frame: () => boolean): AnimationLoop {
  const running = ref(false);
  const hidden = ref(false);
  let handle: number | undefined;

  const cancel = () => {
    if (handle !== undefined) cancelAnimationFrame(handle);
    handle = undefined;
  };
  const tick = () => {
    handle = undefined;
    if (!running.value || hidden.value) return;
    if (frame()) schedule();
    else running.value = false;
  };
  const schedule = () => {
    if (handle === undefined && running.value && !hidden.value)
      handle = requestAnimationFrame(tick);
  };
  const onVisibility = () => {
    hidden.value = document.visibilityState === "hidden";
    if (hidden.value) cancel();
    else schedule();
  };

  onMounted(() => {
    hidden.value = document.visibilityState === "hidden";
    document.addEventListener("visibilitychange", onVisibility);
  });
  onBeforeUnmount(() => {
    running.value = false;
    cancel();
    document.removeEventListener("visibilitychange", onVisibility);
  });

  return {
    running,
    hidden,
    play() {
      running.value = true;
      schedule();
    },
    pause() {
      running.value = false;
      cancel();
    },
  };
}

/**
 * Runs `step` up to `maxSteps` times, stopping early once `budgetMs` have passed, so a frame
 * stays short on a slow machine; returns how many steps ran.
 */
export function stepFor(maxSteps: number, budgetMs: number, step: () => void): number {
  const started = performance.now();
  let done = 0;
  while (done < maxSteps) {
    step();
    done++;
    if (performance.now() - started > budgetMs) break;
  }
  return done;
}

/** A model being trained: how many epochs it has had, and one more. */
export interface Trainable {
  epoch: number;
  step(): unknown;
}

/** What `useLiveTraining` gives a demo. */
export interface LiveTraining<T extends Trainable> {
  /** The current run (null before mount or when building it failed). */
  run: ShallowRef<T | null>;
  /** The error that stopped the run, if any. */
  error: Ref<string | null>;
  /** Bumped when there is something new to draw: what charts and readouts depend on. */
  frame: Ref<number>;
  loop: AnimationLoop;
  /** "training", "paused", "paused while the page is hidden" or "finished". */
  status: ComputedRef<string>;
  /** Builds a new run from the current settings and starts training it. */
  restart(): void;
}

/**
 * Trains `build()`'s run for `epochs` epochs, up to `perFrame` epochs (and ~12 ms) per animation
 * frame, rebuilding it on mount and whenever one of `settings` changes. `frame` is bumped at
 * most every 50 ms, and when the run ends, pauses or restarts.
 */
export function useLiveTraining<T extends Trainable>(options: {
  build: () => T;
  settings: WatchSource[];
  epochs: number;
  perFrame: number;
}): LiveTraining<T> {
  const run: ShallowRef<T | null> = shallowRef(null);
  const error = ref<string | null>(null);
  const frame = ref(0);
  let drawnAt = 0;
  const draw = () => {
    frame.value++;
    drawnAt = performance.now();
  };
  const animation = useAnimationLoop(() => {
    const r = run.value;
    if (!r) return false;
    const result = attempt(() =>
      stepFor(Math.min(options.perFrame, options.epochs - r.epoch), FRAME_BUDGET_MS, () =>
        r.step(),
      ),
    );
    if (result.error !== null) error.value = result.error;
    const more = result.error === null && r.epoch < options.epochs;
    if (!more || performance.now() - drawnAt >= REDRAW_MS) draw();
    return more;
  });
  // Pausing draws the epochs trained since the last redraw.
  const loop = {
    ...animation,
    pause() {
      animation.pause();
      draw();
    },
  };
  const restart = () => {
    const built = attempt(options.build);
    error.value = built.error;
    run.value = built.value;
    draw();
    if (built.value) loop.play();
  };
  onMounted(restart);
  watch(options.settings, restart);
  const status = computed(() => {
    frame.value;
    if (run.value && run.value.epoch >= options.epochs) return "finished";
    if (loop.hidden.value) return "paused while the page is hidden";
    return loop.running.value ? "training" : "paused";
  });
  return { run, error, frame, loop, status, restart };
}
