import type { Alert, AlertKind } from '@citydeck/shared'
import { isFinished, type SlaItem } from '@citydeck/shared/sla'
import {
  alertFromRow,
  type Deadline,
  markDirected,
  raiseAlerts,
  resolveAlerts,
  upcomingDeadlines,
} from '../alerts/alerts.sql'
import type { ChangeRow } from '../changelog/changelog.sql'
import type { AppDeps } from '../context'
import { logger } from '../observability/logger'
import { startAlertFanout } from './alert-fanout'
import { DeadlineQueue } from './deadlines'
import { watchRoomOf } from './hub'
import type { LiveNamespace } from './types'

const log = logger.child({ module: 'live.sla' })

export type SlaOptions = {
  /** Deadlines further ahead than this are not kept in memory; the reload picks them up. */
  horizonMs: number
  /** How often the deadlines due within the horizon are loaded again. */
  reloadMs: number
}

type ItemState = {
  kind: AlertKind
  open: boolean
  dueAt: Date
  wardCode: string | null
  title: string | null
}

/** What the SLA timers need from a ticket or dossier in wire shape. */
function stateOf(row: ChangeRow): ItemState | null {
  const state = (kind: AlertKind, item: SlaItem & { dueAt: string }, title: string) => ({
    kind,
    open: !isFinished(item),
    dueAt: new Date(item.dueAt),
    wardCode: row.wardCode,
    title,
  })
  if (row.feed === 'tickets') return state('ticket_overdue', row.item, row.item.title)
  if (row.feed === 'dossiers') return state('dossier_overdue', row.item, row.item.procedureCode)
  if (row.feed === 'tasks') return state('task_overdue', row.item, row.item.title)
  return null
}

/**
 * SLA alerts the moment an open ticket or dossier passes its deadline: timers for the
 * deadlines of the next `horizonMs`, rescheduled from the change stream, plus a periodic load
 * of those entering the horizon. Alerts are stored; the process whose insert wins emits them
 * through the adapter to every process's clients of the item's scopes.
 */
export class SlaAlerts {
  private readonly queue: DeadlineQueue<Deadline>
  private reloader: NodeJS.Timeout | null = null
  private closed = false
  /** Deadlines that came due in this turn of the event loop, raised together in one statement. */
  private due: Deadline[] = []
  /** Every alert and later state goes out through it: bounded per room in a burst. */
  private readonly fanout: ReturnType<typeof startAlertFanout>

  constructor(
    private readonly nsp: LiveNamespace,
    private readonly deps: AppDeps,
    private readonly options: SlaOptions,
  ) {
    this.queue = new DeadlineQueue(
      () => deps.clock().getTime(),
      (_key, deadline) => this.raise(deadline),
    )
    this.fanout = startAlertFanout({
      roomsOf: (alert) =>
        alert.wardCode ? [watchRoomOf({}), watchRoomOf({ ward: alert.wardCode })] : [watchRoomOf({})],
      send: (alerts, room) => this.nsp.to(room).emit('alerts', alerts),
    })
  }

  async start(): Promise<void> {
    await this.reload()
    this.reloader = setInterval(() => void this.reload(), this.options.reloadMs)
    this.reloader.unref()
  }

  /** Loads the deadlines entering the horizon (and, after an outage, those that passed unraised). */
  async reload(): Promise<void> {
    try {
      const horizon = new Date(this.deps.clock().getTime() + this.options.horizonMs)
      for (const d of await upcomingDeadlines(this.deps.sql, horizon)) {
        this.queue.schedule(`${d.kind}:${d.source}:${d.ref}`, d.dueAt.getTime(), d)
      }
    } catch (error) {
      if (!this.closed) log.warn({ err: error }, 'loading upcoming deadlines failed')
    }
  }

  /** Reschedules from a batch of changes; resolves the alerts of items that closed or moved deadline. */
  onBatch(rows: ChangeRow[]): void {
    const now = this.deps.clock().getTime()
    const horizon = now + this.options.horizonMs
    const toResolve: Array<{ kind: AlertKind; id: string; keepDue: Date | null }> = []
    for (const row of rows) {
      const state = stateOf(row)
      if (!state) continue
      const id = `${row.source}:${row.ref}`
      const key = `${state.kind}:${id}`
      if (state.open && state.dueAt.getTime() < horizon) {
        const { open: _open, ...deadline } = state
        this.queue.schedule(key, state.dueAt.getTime(), { source: row.source, ref: row.ref, ...deadline })
      } else {
        this.queue.cancel(key)
      }
      // An update that closed the item, or moved its deadline ahead, ends a current alert. A new
      // item has none, nor has a closed one whose deadline is still ahead (a move resolved earlier ones).
      const due = state.dueAt.getTime()
      if (row.op === 'updated' && (state.open ? due > now : due <= now)) {
        toResolve.push({ kind: state.kind, id, keepDue: state.open ? state.dueAt : null })
      }
    }
    if (toResolve.length) void this.resolve(toResolve)
    const directed = rows.filter((r) => r.feed === 'tasks' && r.item.subject && !isFinished(r.item))
    if (directed.length) void this.direct(directed)
  }

  /** A task about an item (a directive, or a task-tracking system's) makes its alerts owned. */
  private async direct(rows: ChangeRow[]): Promise<void> {
    try {
      for (const row of rows) {
        if (row.feed !== 'tasks' || !row.item.subject) continue
        const { subject, unit, dueAt } = row.item
        const task = { source: row.source, ref: row.ref, unit, dueAt }
        for (const alert of await markDirected(this.deps.sql, `${subject.source}:${subject.ref}`, task)) {
          this.emit(alertFromRow(alert))
        }
      }
    } catch (error) {
      if (!this.closed) log.warn({ err: error }, 'marking alerts directed failed')
    }
  }

  /** A batch of already-overdue items comes due at once: raise them in one statement, not one each. */
  private raise(deadline: Deadline): void {
    if (this.closed) return
    this.due.push(deadline)
    if (this.due.length === 1) setImmediate(() => void this.raiseDue())
  }

  private async raiseDue(): Promise<void> {
    const due = this.due
    this.due = []
    if (this.closed) return
    try {
      for (const row of await raiseAlerts(this.deps.sql, due, this.deps.clock())) {
        this.deps.metrics.alertsRaised.inc({ kind: row.kind })
        this.emit(alertFromRow(row))
      }
    } catch (error) {
      if (!this.closed) log.warn({ err: error }, 'raising SLA alerts failed')
    }
  }

  private async resolve(items: Array<{ kind: AlertKind; id: string; keepDue: Date | null }>): Promise<void> {
    try {
      for (const row of await resolveAlerts(this.deps.sql, items, this.deps.clock())) {
        this.emit({
          ...alertFromRow(row),
          kind: 'resolved',
          resolves: row.kind,
          at: this.deps.clock().toISOString(),
        })
      }
    } catch (error) {
      if (!this.closed) log.warn({ err: error }, 'resolving SLA alerts failed')
    }
  }

  /**
   * Through the adapter: clients of every process watching the city or the item's ward. Also
   * for an alert's later states (acknowledged, escalated, directed), announced by alerts/.
   */
  emit(alert: Alert): void {
    this.fanout.push(alert)
  }

  close(): void {
    this.closed = true
    if (this.reloader) clearInterval(this.reloader)
    this.queue.close()
    this.fanout.stop()
  }
}
