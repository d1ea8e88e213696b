import { onScopeDispose, shallowRef } from 'vue'

/**
 * The root font size in pixels, followed on resize: charts draw on canvas in pixels, and the
 * wall sizes its text from the viewport through the root font size.
 */
export function useChartFont() {
  const read = () => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
  const rem = shallowRef(read())
  const onResize = () => {
    rem.value = read()
  }
  window.addEventListener('resize', onResize)
  onScopeDispose(() => window.removeEventListener('resize', onResize))
  return rem
}
