// Shared plumbing for the interactive demos.
import { onMounted, type Ref, ref } from "vue";

/**
 * True once the component is mounted in the browser. Demos compute only after that, so every
 * number they show is computed by the packages in the reader's browser (not at build time).
 */
export function useMounted(): Ref<boolean> {
  const mounted = ref(false);
  onMounted(() => {
    mounted.value = true;
  });
  return mounted;
}

/** Runs `fn`, turning a thrown error into `{ error }` so a demo can show it instead of breaking. */
export function attempt<T>(
  fn: () => T,
): { value: T; error: null } | { value: null; error: string } {
  try {
    return { value: fn(), error: null };
  } catch (e) {
    return { value: null, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}
