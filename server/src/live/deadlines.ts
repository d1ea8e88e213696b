/**
 * Deadlines of open items due soon, in a binary min-heap keyed by time, with one timer armed
 * for the earliest. Rescheduling an item replaces its entry (stale heap entries are skipped
 * when they surface), so an update costs O(log n) and nothing scans the whole set.
 */
export class DeadlineQueue<T> {
  private readonly heap: Array<{ at: number; key: string; version: number }> = []
  private readonly current = new Map<string, { at: number; version: number; value: T }>()
  private version = 0
  private timer: NodeJS.Timeout | null = null
  private armedAt = Number.POSITIVE_INFINITY

  constructor(
    private readonly now: () => number,
    private readonly onDue: (key: string, value: T, at: number) => void,
  ) {}

  get size(): number {
    return this.current.size
  }

  schedule(key: string, at: number, value: T): void {
    const existing = this.current.get(key)
    if (existing && existing.at === at) {
      existing.value = value
      return
    }
    const version = ++this.version
    this.current.set(key, { at, version, value })
    this.push({ at, key, version })
    this.arm()
  }

  cancel(key: string): void {
    this.current.delete(key)
  }

  has(key: string): boolean {
    return this.current.has(key)
  }

  /** Fires every entry whose time has come, then arms the timer for the next one. */
  private fire(): void {
    this.timer = null
    this.armedAt = Number.POSITIVE_INFINITY
    const now = this.now()
    while (this.heap.length && this.heap[0]!.at <= now) {
      const top = this.pop()!
      const entry = this.current.get(top.key)
      if (!entry || entry.version !== top.version) continue
      this.current.delete(top.key)
      this.onDue(top.key, entry.value, entry.at)
    }
    this.arm()
  }

  private arm(): void {
    while (this.heap.length) {
      const top = this.heap[0]!
      const entry = this.current.get(top.key)
      if (entry && entry.version === top.version) break
      this.pop()
    }
    const next = this.heap[0]?.at
    if (next === undefined || next >= this.armedAt) return
    if (this.timer) clearTimeout(this.timer)
    this.armedAt = next
    // setTimeout clamps long delays; a deadline this far ahead is re-armed when it fires early.
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(0, next - this.now()), 2 ** 31 - 1))
    this.timer.unref?.()
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.current.clear()
    this.heap.length = 0
  }

  private push(node: { at: number; key: string; version: number }): void {
    const h = this.heap
    h.push(node)
    let i = h.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (h[parent]!.at <= h[i]!.at) break
      ;[h[parent], h[i]] = [h[i]!, h[parent]!]
      i = parent
    }
  }

  private pop(): { at: number; key: string; version: number } | undefined {
    const h = this.heap
    const top = h[0]
    const last = h.pop()
    if (h.length && last) {
      h[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let min = i
        if (l < h.length && h[l]!.at < h[min]!.at) min = l
        if (r < h.length && h[r]!.at < h[min]!.at) min = r
        if (min === i) break
        ;[h[min], h[i]] = [h[i]!, h[min]!]
        i = min
      }
    }
    return top
  }
}
