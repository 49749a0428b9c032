import { onBeforeUnmount, onMounted, type Ref, ref } from "vue";

/** The live clientWidth of an element (0 until mounted). */
export function useWidth(el: Ref<HTMLElement | null>): Ref<number> {
  const width = ref(0);
  let observer: ResizeObserver | undefined;
  onMounted(() => {
    if (!el.value) return;
    width.value = el.value.clientWidth;
    observer = new ResizeObserver(() => {
      if (el.value) width.value = el.value.clientWidth;
    });
    observer.observe(el.value);
  });
  onBeforeUnmount(() => observer?.disconnect());
  return width;
}
