import { type Alert, snapshotAlertCap } from '@citydeck/shared'

export type AlertFanoutOptions = {
  /** Sends one room its alerts of a flush, oldest first, as one frame (through the adapter). */
  send: (alerts: Alert[], room: string) => void
  /** The rooms an alert belongs to (the city's, its ward's). */
  roomsOf: (alert: Alert) => string[]
  /** Most alerts one room gets from one flush, resolutions aside: as many as a client keeps. */
  perRoom?: number
  /** Minimum time between two flushes (ms) while alerts keep coming. */
  intervalMs?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
  /** A monotonic clock in ms (injected in tests). */
  now?: () => number
}

/**
 * Alerts on their way to the live rooms, bounded. A lone alert goes out at once; alerts that
 * keep coming are flushed at most once per `intervalMs`, and a flush sends each room one
 * `alerts` frame with its newest `perRoom` of them: a broadcast per room, not per alert. A CSV
 * import of 100,000 overdue tickets (or their escalation half an hour later) raises as many
 * alerts; sent one frame each, they took walls minutes to take in before their first draw, and
 * each was an adapter round trip (a NOTIFY through PostgreSQL). A client keeps `perRoom` alerts
 * (the snapshot carries as many), so the ones left out are ones its list would have pushed out
 * anyway. Resolutions are never left out: a client holding the alert must drop it. Nothing is
 * lost for good: the API lists every alert, and a snapshot carries the newest.
 */
export function startAlertFanout(options: AlertFanoutOptions) {
  const perRoom = options.perRoom ?? snapshotAlertCap
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
    // Newest first: a room takes an alert while under its share (a resolution always).
    const frames = new Map<string, { alerts: Alert[]; taken: number }>()
    for (let i = alerts.length - 1; i >= 0; i--) {
      const alert = alerts[i]!
      for (const room of options.roomsOf(alert)) {
        const frame = frames.get(room) ?? { alerts: [], taken: 0 }
        frames.set(room, frame)
        if (alert.kind !== 'resolved') {
          if (frame.taken >= perRoom) continue
          frame.taken++
        }
        frame.alerts.push(alert)
      }
    }
    // Each frame oldest first, as they came.
    for (const [room, frame] of frames) options.send(frame.alerts.reverse(), room)
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
