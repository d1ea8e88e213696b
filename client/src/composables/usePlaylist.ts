import { onScopeDispose, shallowRef } from 'vue'

/** Rotates through `items` every `everyMs` (no rotation for a single item); the timer goes with the scope. */
export function usePlaylist<T>(items: readonly T[], everyMs: number) {
  const index = shallowRef(0)
  const current = shallowRef(items[0] as T)
  let timer: ReturnType<typeof setInterval> | null = null
  if (items.length > 1) {
    timer = setInterval(() => {
      index.value = (index.value + 1) % items.length
      current.value = items[index.value] as T
    }, everyMs)
  }
  onScopeDispose(() => {
    if (timer) clearInterval(timer)
  })
  return { current, index }
}
