import { onBeforeUnmount, onMounted, type ShallowRef, shallowRef } from 'vue'

export type BoxSize = { width: number; height: number }

/**
 * The content size of an element, followed with a ResizeObserver, for SVG drawn in the box's own
 * pixels (text at its real size, never stretched). Null until the box is first laid out. A box
 * reported 0x0 (a scene the wall's playlist keeps alive but detached) keeps its last size, so
 * its chart is not redrawn for nothing on every playlist turn.
 */
export function useBoxSize(el: Readonly<ShallowRef<HTMLElement | null>>): ShallowRef<BoxSize | null> {
  const size = shallowRef<BoxSize | null>(null)
  let observer: ResizeObserver | null = null
  onMounted(() => {
    observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry!.contentRect
      if (!width || !height) return
      if (size.value?.width === width && size.value.height === height) return
      size.value = { width, height }
    })
    if (el.value) observer.observe(el.value)
  })
  onBeforeUnmount(() => {
    observer?.disconnect()
    observer = null
  })
  return size
}
