import { onScopeDispose } from 'vue'

type MemoryInfo = { usedJSHeapSize: number; jsHeapSizeLimit: number }

export type NightlyReloadOptions = {
  /** Local hour of the night check (the screen's clock). */
  hour?: number
  /** Reload only if the JS heap passed this many bytes... */
  maxHeapBytes?: number
  /** ...or this share of the heap limit. */
  maxHeapShare?: number
  /** How to reload (injected in tests). */
  reload?: () => void
}

/** Whether the heap is past the threshold; false where the browser does not report memory. */
export function heapTooLarge(memory: MemoryInfo | undefined, maxBytes: number, maxShare: number): boolean {
  if (!memory) return false
  return memory.usedJSHeapSize > maxBytes || memory.usedJSHeapSize > memory.jsHeapSizeLimit * maxShare
}

/**
 * A soft reload once a night, and only if the heap crossed a threshold: a safety net for weeks of
 * uptime, not a routine. The decision is logged (console and localStorage) so a technician can
 * see it afterwards.
 */
export function useNightlyReload(options: NightlyReloadOptions = {}) {
  const hour = options.hour ?? 3
  const maxBytes = options.maxHeapBytes ?? 400 * 1024 * 1024
  const maxShare = options.maxHeapShare ?? 0.6
  const reload = options.reload ?? (() => location.reload())
  let lastCheckDay = ''
  const timer = setInterval(() => {
    const now = new Date()
    const day = now.toDateString()
    if (now.getHours() !== hour || lastCheckDay === day) return
    lastCheckDay = day
    const memory = (performance as Performance & { memory?: MemoryInfo }).memory
    if (!heapTooLarge(memory, maxBytes, maxShare)) return
    const entry = `${now.toISOString()} nightly reload: heap ${Math.round((memory?.usedJSHeapSize ?? 0) / 1048576)} MB`
    console.info(`citydeck wall: ${entry}`)
    globalThis.localStorage?.setItem('citydeck.wall.lastReload', entry)
    reload()
  }, 60_000)
  onScopeDispose(() => clearInterval(timer))
}
