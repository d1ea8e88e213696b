import { Counter, Gauge } from 'prom-client'
import type { AppDeps } from '../context'
import type { RenderFormat } from './render'

/** Rendered files kept per process, newest use last; a PDF is ~0.2–2 MB. */
const maxBytes = 64 * 1024 * 1024

/**
 * Renders of snapshots, per app: a snapshot is frozen, so its PDF/PNG is made once and served
 * from memory after (until revoked, or pushed out by newer ones); requests that arrive while it
 * renders share that render. Whether a snapshot is still live is checked by the route first.
 */
export class RenderCache {
  readonly #files = new Map<string, Buffer>()
  readonly #pending = new Map<string, Promise<Buffer>>()
  #bytes = 0
  readonly renders: Counter<'format' | 'outcome'>
  readonly cachedBytes: Gauge

  constructor(registry: AppDeps['metrics']['registry']) {
    this.renders = new Counter({
      name: 'citydeck_snapshot_renders_total',
      help: 'Snapshot PDF/PNG requests by outcome: rendered (Chromium ran), cached, busy (503), failed',
      labelNames: ['format', 'outcome'] as const,
      registers: [registry],
    })
    this.cachedBytes = new Gauge({
      name: 'citydeck_snapshot_render_cache_bytes',
      help: 'Bytes of rendered snapshots kept in memory by this process',
      registers: [registry],
      collect: () => this.cachedBytes.set(this.#bytes),
    })
  }

  /** The file of `id` in `format`: from memory, from a render under way, or from `render()`. */
  async get(id: string, format: RenderFormat, render: () => Promise<Buffer>): Promise<Buffer> {
    const key = `${id}.${format}`
    const kept = this.#files.get(key)
    if (kept) {
      this.#files.delete(key) // re-inserted: Map order is the LRU order
      this.#files.set(key, kept)
      this.renders.inc({ format, outcome: 'cached' })
      return kept
    }
    const pending = this.#pending.get(key)
    if (pending) return pending
    const started = render().finally(() => this.#pending.delete(key))
    this.#pending.set(key, started)
    const file = await started.catch((error: unknown) => {
      this.renders.inc({ format, outcome: 'failed' })
      throw error
    })
    this.renders.inc({ format, outcome: 'rendered' })
    this.#keep(key, file)
    return file
  }

  /** Drops a snapshot's files (revoked). */
  forget(id: string): void {
    for (const format of ['pdf', 'png'] as const) {
      const key = `${id}.${format}`
      const file = this.#files.get(key)
      if (file) this.#bytes -= file.length
      this.#files.delete(key)
    }
  }

  #keep(key: string, file: Buffer): void {
    if (file.length > maxBytes / 4) return
    this.#files.set(key, file)
    this.#bytes += file.length
    for (const [old, f] of this.#files) {
      if (this.#bytes <= maxBytes) break
      this.#files.delete(old)
      this.#bytes -= f.length
    }
  }
}

const caches = new WeakMap<AppDeps['metrics'], RenderCache>()
export function renderCacheFor(deps: Pick<AppDeps, 'metrics'>): RenderCache {
  let cache = caches.get(deps.metrics)
  if (!cache) {
    cache = new RenderCache(deps.metrics.registry)
    caches.set(deps.metrics, cache)
  }
  return cache
}
