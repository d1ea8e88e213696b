import { type Alert, snapshotAlertCap } from '@citydeck/shared'

export type AlertFanoutOptions = {
  /** Sends one alert to these rooms (through the adapter: every process's clients). */
  send: (alert: Alert, rooms: string[]) => void
  /** The rooms an alert belongs to (the city's, its ward's). */
  roomsOf: (alert: Alert) => string[]
  /** Most alerts one room gets from one flush: as many as a client keeps (its newest). */
  perRoom?: number
  /** Most broadcasts of one flush (resolutions aside): each is an adapter round trip. */
  perFlush?: number
  /** Minimum time between two flushes (ms) while alerts keep coming. */
  intervalMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** A monotonic clock in ms (injected in tests). */
  now?: () => number
}

/**
 * Alerts on their way to the live rooms, bounded. A lone alert goes out at once; alerts that
 * keep coming are flushed at most once per `intervalMs`, and from each flush a room gets only
 * its newest `perRoom`, and no more than `perFlush` go out in all (the city's newest first, then
 * wards' own). A client keeps `perRoom` alerts (the snapshot carries as many), so the ones left
 * out are mostly ones its list would have pushed out anyway (a ward's wall may keep fewer of a
 * burst's than its next snapshot shows), and each broadcast is one adapter round trip and one
 * frame per client: a CSV import of 100,000 overdue tickets (or
 * their escalation half an hour later) raised as many alerts, and walls spent minutes taking
 * them in, one frame each, before their first draw. Resolutions are never left out: a client
 * holding the alert must drop it. Nothing is lost for good: the API lists every alert, and a
 * snapshot carries the newest.
 */
export function startAlertFanout(options: AlertFanoutOptions) {
  const perRoom = options.perRoom ?? snapshotAlertCap
  const perFlush = options.perFlush ?? 2 * perRoom
  const intervalMs = options.intervalMs ?? 1000
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
  const clearTimer = options.clearTimer ?? ((h) => clearTimeout(h as NodeJS.Timeout))
  const now = options.now ?? (() => performance.now())
  let pending: Alert[] = []
  let lastFlushAt = Number.NEGATIVE_INFINITY
  let timer: unknown

  const flush = () => {
    timer = undefined
    lastFlushAt = now()
    const alerts = pending
    pending = []
    // Newest last: count each room's alerts from the end, keep a room while under its share.
    const taken = new Map<string, number>()
    const out: Array<{ alert: Alert; rooms: string[] }> = []
    let sends = 0
    for (let i = alerts.length - 1; i >= 0; i--) {
      const alert = alerts[i]!
      if (alert.kind === 'resolved') {
        out.push({ alert, rooms: options.roomsOf(alert) })
        continue
      }
      if (sends >= perFlush) continue
      const rooms = options.roomsOf(alert).filter((room) => {
        const n = taken.get(room) ?? 0
        taken.set(room, n + 1)
        return n < perRoom
      })
      if (rooms.length) {
        out.push({ alert, rooms })
        sends++
      }
    }
    // Sent oldest first, as they came.
    for (let i = out.length - 1; i >= 0; i--) options.send(out[i]!.alert, out[i]!.rooms)
  }

  return {
    push(alert: Alert) {
      pending.push(alert)
      if (timer !== undefined) return
      // A timer even when due now: the alerts of the same tick (one statement's rows) join it.
      timer = setTimer(flush, Math.max(0, lastFlushAt + intervalMs - now()))
    },
    /** Sends what is pending now (at shutdown), and stops the timer. */
    stop() {
      if (timer === undefined) return
      clearTimer(timer)
      flush()
    },
  }
}
