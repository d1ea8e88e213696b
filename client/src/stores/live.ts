import type {
  Alert,
  Change,
  KpiFrame,
  KpiSet,
  LatestComment,
  OpenAggregates,
  Snapshot,
  Ticket,
} from '@citydeck/shared'
import {
  latestCommentChars,
  recentHorizonMs,
  snapshotAlertCap,
  snapshotTicketCap,
} from '@citydeck/shared/live-namespace'
import { defineStore } from 'pinia'
import { shallowRef, triggerRef } from 'vue'

/**
 * Bounds: the wall runs for weeks, so nothing here grows without limit (STYLE: Vue side). Open
 * tickets: the snapshot's cap, the most urgent ones; counts come from `open`, not from this list.
 */
export const liveLimits = {
  openTickets: snapshotTicketCap,
  alerts: snapshotAlertCap,
  recent: 40,
  comments: 20,
  landed: 20,
} as const

export type WallTicket = Omit<Ticket, 'reporter' | 'description' | 'media'> & { id: string }
export type RecentChange = {
  seq: number
  feed: Change['feed']
  id: string
  at: string
  label: string
  status?: string
  wardCode: string | null
}
export type Landed = { id: string; lng: number; lat: number; at: number }

const closedStatuses = new Set(['resolved', 'closed', 'rejected'])
const isOpen = (t: Ticket) => !closedStatuses.has(t.status) && !t.resolvedAt && !t.closedAt

/** Only what a wall draws: reporter, description and media never enter the store (docs/design.md §5). */
function toWallTicket(ticket: Ticket, id: string): WallTicket {
  const { reporter: _r, description: _d, media: _m, ...rest } = ticket
  return { ...rest, id }
}

/** When a change's item happened: an answer's `submittedAt`, else its `updatedAt`. */
function itemTime(change: Change, now: Date): string {
  const at = change.feed === 'surveys' ? change.item.submittedAt : change.item.updatedAt
  return typeof at === 'string' ? at : now.toISOString()
}

/** Puts a comment in its place by its own time, newest first (an answer sent again replaces itself). */
function placeComment(list: LatestComment[], comment: LatestComment, limit: number): LatestComment[] {
  const next = list.filter((c) => c.id !== comment.id)
  const at = Date.parse(comment.at)
  const index = next.findIndex((c) => Date.parse(c.at) < at)
  next.splice(index === -1 ? next.length : index, 0, comment)
  if (next.length > limit) next.length = limit
  return next
}

function pushBounded<T>(list: T[], item: T, limit: number): T[] {
  const next = [item, ...list]
  if (next.length > limit) next.length = limit
  return next
}

/**
 * The live picture of one scope (docs/design.md §4): last `seq`, KPIs, open tickets, alerts and the
 * latest changes. The stream handling (socket, resume) lives in `useWallStream`; this store only
 * applies frames, so it can be tested without a socket.
 */
export const useLiveStore = defineStore('live', () => {
  const seq = shallowRef(0)
  const kpis = shallowRef<KpiSet | null>(null)
  /** Exact open/overdue counts of the scope (server-computed), from the snapshot and KPI frames. */
  const open = shallowRef<OpenAggregates | null>(null)
  const tickets = shallowRef(new Map<string, WallTicket>())
  const alerts = shallowRef(new Map<string, Alert>())
  const recent = shallowRef<RecentChange[]>([])
  const comments = shallowRef<LatestComment[]>([])
  /** Procedure names by code, so news of a dossier names its procedure (the snapshot's, then `procedures` changes). */
  let procedureNames = new Map<string, string>()
  const landed = shallowRef<Landed[]>([])
  const lastUpdate = shallowRef<Date | null>(null)
  /** Bumped on every applied frame so views can react to in-place Map changes. */
  const version = shallowRef(0)
  // The same Map, readable without subscribing to every frame (views that redraw on their own clock).
  let ticketMap = tickets.value
  const openTicketsNow = (): ReadonlyMap<string, WallTicket> => ticketMap

  function touch(now = new Date()) {
    lastUpdate.value = now
    version.value++
  }

  function putTicket(ticket: Ticket, id: string) {
    const map = tickets.value
    if (!isOpen(ticket)) {
      map.delete(id)
      alerts.value.delete(id)
      return
    }
    map.set(id, toWallTicket(ticket, id))
    if (map.size > liveLimits.openTickets) {
      // Drop the ticket with the most time left: the wall must keep every overdue one.
      let latest: WallTicket | null = null
      for (const t of map.values()) if (!latest || t.dueAt > latest.dueAt) latest = t
      if (latest) map.delete(latest.id)
    }
  }

  function applySnapshot(snapshot: Snapshot, now = new Date()) {
    seq.value = snapshot.seq
    kpis.value = snapshot.kpis
    open.value = snapshot.open
    const map = new Map<string, WallTicket>()
    tickets.value = map
    ticketMap = map
    for (const t of snapshot.openTickets) putTicket(t, `${t.source}:${t.ref}`)
    alerts.value = new Map()
    for (const a of snapshot.alerts) addAlert(a)
    recent.value = []
    // The server chose them by their own time, newest first (live/snapshot.sql.ts).
    comments.value = (snapshot.comments ?? []).slice(0, liveLimits.comments)
    procedureNames = new Map(Object.entries(snapshot.procedureNames ?? {}))
    // Oldest first, so the newest ends on top. By the item's own time: a snapshot's changes can
    // come from a backfill written out of time order; live ones arrive in both orders at once.
    const byTime = [...(snapshot.recent ?? [])].sort(
      (a, b) => Date.parse(itemTime(a, now)) - Date.parse(itemTime(b, now)) || a.seq - b.seq,
    )
    for (const change of byTime) remember(change, now, false)
    triggerRef(tickets)
    touch(now)
  }

  /** What the news line shows of a change: its label, status and ward, read by its feed's own type. */
  function describe(change: Change): { label: string; status?: string; wardCode: string | null } {
    switch (change.feed) {
      case 'tickets':
        return { label: change.item.title, status: change.item.status, wardCode: change.item.wardCode }
      case 'tasks': {
        // A task's change is its unit's report (the night shift's field reports among them): shown after its title.
        const { title, report, status, wardCode } = change.item
        return { label: [title, report].filter(Boolean).join(' — '), status, wardCode }
      }
      case 'dossiers': {
        const { procedureCode, status, wardCode } = change.item
        return {
          label: procedureNames.get(procedureCode) ?? procedureCode,
          status,
          wardCode: wardCode ?? null,
        }
      }
      case 'surveys':
        return { label: String(change.item.score), wardCode: change.item.wardCode ?? null }
      case 'procedures':
        procedureNames.set(change.item.code, change.item.name)
        return { label: change.item.name || change.item.code, wardCode: null }
    }
  }

  function remember(change: Change, now: Date, isNew: boolean) {
    const { label, status, wardCode } = describe(change)
    const at = itemTime(change, now)
    // A snapshot's comments come apart (its `comments`); a live answer takes its place by time.
    const comment = change.feed === 'surveys' ? change.item.comment?.trim() : undefined
    if (isNew && change.feed === 'surveys' && comment) {
      comments.value = placeComment(
        comments.value,
        { id: change.id, at, score: change.item.score, text: comment.slice(0, latestCommentChars), wardCode },
        liveLimits.comments,
      )
    }
    if (now.getTime() - Date.parse(at) <= recentHorizonMs)
      recent.value = pushBounded(
        recent.value,
        {
          seq: change.seq,
          feed: change.feed,
          id: change.id,
          at,
          label,
          status,
          wardCode,
        },
        liveLimits.recent,
      )
    if (isNew && change.feed === 'tickets') {
      const ticket = change.item
      const at = ticket.location
      if (at && ticket.status === 'received' && isOpen(ticket) && !tickets.value.has(change.id)) {
        landed.value = pushBounded(
          landed.value,
          { id: change.id, lng: at.lng, lat: at.lat, at: now.getTime() },
          liveLimits.landed,
        )
      }
    }
  }

  /** Applies changes in order; ones at or before the last `seq` are duplicates of a resume and skipped. */
  function applyChanges(changes: Change[], now = new Date()) {
    let applied = false
    for (const change of changes) {
      if (change.seq <= seq.value) continue
      remember(change, now, true)
      if (change.feed === 'tickets') putTicket(change.item, change.id)
      seq.value = change.seq
      applied = true
    }
    if (!applied) return
    triggerRef(tickets)
    triggerRef(alerts)
    touch(now)
  }

  function applyKpis(frame: KpiFrame, now = new Date()) {
    kpis.value = frame.kpis
    open.value = frame.open
    touch(now)
  }

  function addAlert(alert: Alert) {
    const map = alerts.value
    if (alert.kind === 'resolved') map.delete(alert.id)
    else map.set(alert.id, alert)
    if (map.size > liveLimits.alerts) map.delete(map.keys().next().value as string)
  }

  /** Applies one `alerts` frame (a burst, oldest first) in one go: one update for the views. */
  function applyAlerts(frame: readonly Alert[], now = new Date()) {
    for (const alert of frame) addAlert(alert)
    triggerRef(alerts)
    touch(now)
  }

  /** Forgets pulses older than `maxAgeMs` (called by the map's own timer). */
  function expireLanded(now: number, maxAgeMs: number) {
    const kept = landed.value.filter((l) => now - l.at < maxAgeMs)
    if (kept.length !== landed.value.length) landed.value = kept
  }

  function reset() {
    seq.value = 0
    kpis.value = null
    open.value = null
    tickets.value = new Map()
    ticketMap = tickets.value
    alerts.value = new Map()
    recent.value = []
    comments.value = []
    procedureNames = new Map()
    landed.value = []
    lastUpdate.value = null
  }

  return {
    seq,
    kpis,
    open,
    tickets,
    alerts,
    recent,
    comments,
    landed,
    lastUpdate,
    version,
    openTicketsNow,
    applySnapshot,
    applyChanges,
    applyKpis,
    applyAlerts,
    expireLanded,
    reset,
  }
})
