// A demo's controls in the page's query string, so a state can be shared, survives a reload and
// follows Back/Forward. Each demo owns the keys `<name>.<control>` (a second copy of the same demo
// on a page gets `<name>2.`) and never touches anyone else's.
//
// History: moving a control replaces the current entry (debounced, so a slider drag is one
// replaceState per pause, not one per pixel; Safari also limits replaceState to 100 calls per 30
// s). Only a preset, a named jump to a whole configuration much like following a link, pushes a
// new entry, so Back undoes the preset and a reader who only played with the controls leaves the
// page with one Back.
import { onBeforeUnmount, onMounted, type Ref, watch } from "vue";

/** One control: its ref and how its value is written to and read from the query string. */
export interface Field<T> {
  ref: Ref<T>;
  /** The value for a query-string text, or undefined if the text is not a valid value. */
  parse(text: string): T | undefined;
  format(value: T): string;
}

// biome-ignore lint/suspicious/noExplicitAny: a record of fields of different value types
type Fields = Record<string, Field<any>>;
type Values<F extends Fields> = { [K in keyof F]: F[K] extends Field<infer T> ? T : never };

/** A select's field: one of `values`, written with `label` (default `String`). */
export function oneOf<T extends string | number>(
  ref: Ref<T>,
  values: readonly T[],
  label: (value: T) => string = String,
): Field<T> {
  return {
    ref,
    format: label,
    parse: (text) =>
      values.find((v) => label(v) === text || (typeof v === "number" && v === Number(text))),
  };
}

/** A slider's field: a number in [min, max] on the slider's grid of `step`. */
export function numberIn(ref: Ref<number>, min: number, max: number, step: number): Field<number> {
  return {
    ref,
    format: String,
    parse: (text) => {
      const value = text.trim() === "" ? Number.NaN : Number(text);
      if (!(value >= min && value <= max)) return undefined;
      const steps = (value - min) / step;
      return Math.abs(steps - Math.round(steps)) < 1e-6 ? value : undefined;
    },
  };
}

/** A checkbox's field, written as 1 or 0. */
export function flag(ref: Ref<boolean>): Field<boolean> {
  return {
    ref,
    format: (v) => (v ? "1" : "0"),
    parse: (text) => (text === "1" ? true : text === "0" ? false : undefined),
  };
}

const prefixesInUse = new Set<string>();
const REPLACE_DELAY_MS = 250;

/** What `useUrlState` gives a demo: presets that make a history entry, and which one is active. */
export interface UrlState<F extends Fields> {
  /** Sets the controls to `values` as one new history entry (Back returns to the state before). */
  applyPreset(values: Partial<Values<F>>): void;
  /** True when every control named in `values` has that value. */
  matches(values: Partial<Values<F>>): boolean;
}

/**
 * Keeps `fields` in the query string under `<name>.<key>`: restores them on mount and on
 * Back/Forward, writes them back (only values that differ from the initial ones) as they change.
 * `onRestore` runs after values were read from the URL, for demos whose state is replayed.
 */
export function useUrlState<F extends Fields>(
  name: string,
  fields: F,
  onRestore?: () => void,
): UrlState<F> {
  const defaults = Object.fromEntries(
    Object.entries(fields).map(([key, field]) => [key, field.format(field.ref.value)]),
  );
  let prefix = "";
  let path = "";
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopWatch: (() => void) | undefined;

  const target = (): string => {
    const params = new URLSearchParams(location.search);
    for (const key of Object.keys(fields)) params.delete(`${prefix}.${key}`);
    for (const [key, field] of Object.entries(fields)) {
      const text = field.format(field.ref.value);
      if (text !== defaults[key]) params.set(`${prefix}.${key}`, text);
    }
    const query = params.toString();
    return `${location.pathname}${query ? `?${query}` : ""}${location.hash}`;
  };

  const write = (mode: "push" | "replace") => {
    clearTimeout(timer);
    timer = undefined;
    // The page may have changed under us (a link was followed); its URL is not ours to write.
    if (location.pathname !== path) return;
    const url = target();
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (mode === "replace") {
      history.replaceState(history.state, "", url);
      return;
    }
    // VitePress restores `scrollPosition` when it handles a popstate; keep the reader in place.
    history.replaceState({ ...history.state, scrollPosition: window.scrollY }, "");
    history.pushState({ scrollPosition: window.scrollY }, "", url);
  };

  const restore = () => {
    const params = new URLSearchParams(location.search);
    for (const [key, field] of Object.entries(fields)) {
      const text = params.get(`${prefix}.${key}`) ?? defaults[key]!;
      const value = field.parse(text) ?? field.parse(defaults[key]!);
      if (value !== undefined) field.ref.value = value;
    }
    onRestore?.();
  };

  const onPopState = () => {
    clearTimeout(timer);
    timer = undefined;
    if (location.pathname === path) restore();
  };
  const flush = () => {
    if (timer !== undefined) write("replace");
  };

  onMounted(() => {
    path = location.pathname;
    for (let n = 1; !prefix; n++) {
      const candidate = n === 1 ? name : `${name}${n}`;
      if (!prefixesInUse.has(candidate)) prefix = candidate;
    }
    prefixesInUse.add(prefix);
    restore();
    write("replace"); // drops values that were not valid
    stopWatch = watch(
      () => Object.values(fields).map((f) => f.format(f.ref.value)),
      () => {
        clearTimeout(timer);
        timer = setTimeout(() => write("replace"), REPLACE_DELAY_MS);
      },
    );
    window.addEventListener("popstate", onPopState);
    window.addEventListener("pagehide", flush);
  });

  onBeforeUnmount(() => {
    stopWatch?.();
    flush();
    window.removeEventListener("popstate", onPopState);
    window.removeEventListener("pagehide", flush);
    prefixesInUse.delete(prefix);
  });

  const matches = (values: Partial<Values<F>>) =>
    Object.entries(values).every(
      ([key, value]) => fields[key]!.format(fields[key]!.ref.value) === fields[key]!.format(value),
    );

  return {
    matches,
    applyPreset(values) {
      for (const [key, value] of Object.entries(values)) fields[key]!.ref.value = value;
      write("push");
    },
  };
}
