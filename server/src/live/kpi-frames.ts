import type { LiveScope } from '@citydeck/shared'
import type { Namespace } from 'socket.io'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import type { ChangeRow } from './changes.sql'
import { roomOf } from './hub'
import { todayKpisForScope } from './kpis'

const log = logger.child({ module: 'live.kpis' })

/**
 * KPI frames, coalesced per scope: a batch marks its scopes dirty, and each dirty scope is
 * computed once per `intervalMs` (however many clients watch it) and sent to its rooms. A
 * scope marked during a computation is computed again, so a burst always ends with a frame
 * that includes its last change.
 */
export class KpiFrames {
  private readonly dirty = new Map<string, LiveScope>()
  private timer: NodeJS.Timeout | null = null
  private computing: Promise<void> | null = null
  private lastFlush = 0
  private closed = false

  constructor(
    private readonly nsp: Namespace,
    private readonly deps: AppDeps,
    private readonly watched: () => LiveScope[],
    private readonly delivered: () => number,
    private readonly intervalMs: number,
  ) {}

  onBatch(rows: ChangeRow[]): void {
    const wards = new Set(rows.map((r) => r.wardCode))
    for (const scope of this.watched()) {
      if (scope.ward === undefined || wards.has(scope.ward)) this.dirty.set(scope.ward ?? '*', scope)
    }
    this.schedule()
  }

  private schedule(): void {
    if (this.closed || this.timer || this.computing || this.dirty.size === 0) return
    const wait = Math.max(0, this.lastFlush + this.intervalMs - performance.now())
    this.timer = setTimeout(() => {
      this.timer = null
      this.computing = this.flush().finally(() => {
        this.computing = null
        this.schedule()
      })
    }, wait)
  }

  private async flush(): Promise<void> {
    this.lastFlush = performance.now()
    const scopes = [...this.dirty.values()]
    this.dirty.clear()
    for (const scope of scopes) {
      try {
        const seq = this.delivered()
        const kpis = await todayKpisForScope(this.deps, scope)
        this.nsp.local.to([roomOf(scope, true), roomOf(scope, false)]).emit('kpis', { seq, scope, kpis })
      } catch (error) {
        if (!this.closed) log.warn({ err: error, scope }, 'computing live KPIs failed')
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.computing
  }
}
