import { EventEmitter } from 'node:events'
import { logger } from '../observability/logger'
import type { Sql } from './connection'

const log = logger.child({ module: 'database' })

/** postgres.js and Node codes, and PostgreSQL SQLSTATEs, that mean "the database is not there". */
const unavailableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
])

/**
 * Codes that may only mean "slow": a busy machine, or this process's event loop held up past the
 * timer. One of them does not end the database's service; the probe asks again first.
 */
const slowCodes = new Set(['CONNECT_TIMEOUT', 'ETIMEDOUT'])

/** Whether an error says the database could not be reached (rather than that a query was wrong). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; errno?: unknown } | null
  return typeof e?.code === 'string' && unavailableCodes.has(e.code)
}

/** Thrown where work needs the database while it is away; routes answer it with 503. */
export class DatabaseUnavailable extends Error {
  readonly code = 'database_unavailable'
}

export type DatabaseState = {
  state: 'up' | 'down'
  /** When the state last changed. */
  since: Date
  /** Why it is down (the last error), or null. */
  reason: string | null
  /** Round trip of the last successful probe, in milliseconds. */
  latencyMs: number | null
}

type Events = { up: []; down: [reason: string] }

/**
 * Knows whether the database is reachable, without ever making a caller wait for it: a probe
 * on a connection of its own every `everyMs` (faster while down), and any request or task that
 * met a connection error reports it. Routes answer 503 at once while it is down; background
 * work (the live tail, SLA alerts, the KPI fold) resumes on `up` (docs/design.md §11).
 */
export class DatabaseWatch extends EventEmitter<Events> {
  private current: DatabaseState = { state: 'up', since: new Date(), reason: null, latencyMs: null }
  private timer: NodeJS.Timeout | null = null
  private slowProbes = 0
  private probing = false
  private closed = false

  constructor(
    /** A pool of its own (one connection, short connect timeout). */
    private readonly probe: Sql,
    private readonly options: {
      everyMs: number
      whileDownMs: number
      timeoutMs: number
      settleMs: number
      /** Probes in a row that must time out before the database counts as away. */
      slowProbesBeforeDown: number
    } = {
      everyMs: 1000,
      whileDownMs: 250,
      timeoutMs: 1000,
      settleMs: 2000,
      slowProbesBeforeDown: 2,
    },
    /** A known cause that says more than the connection error (the embedded PostgreSQL died). */
    private readonly explain: () => string | null = () => null,
  ) {
    super()
    this.schedule()
  }

  get status(): DatabaseState {
    const trouble = this.current.state === 'down' ? this.explain() : null
    return trouble ? { ...this.current, reason: trouble } : this.current
  }

  get isUp(): boolean {
    return this.current.state === 'up'
  }

  /**
   * A request or task met this error: if the database is away, say so now (and probe faster).
   * Just after it came back, such an error is most likely a straggler of the outage (a query on
   * a connection that died with it): the probe decides, rather than 503s for another round.
   */
  report(error: unknown): void {
    if (!isDatabaseUnavailable(error)) return
    const settling = Date.now() - this.current.since.getTime() < this.options.settleMs
    if (this.isUp && (settling || isSlow(error))) this.schedule(0)
    else this.markDown(String((error as Error).message ?? error))
  }

  private markDown(reason: string) {
    if (this.current.state === 'down') {
      this.current = { ...this.current, reason }
      return
    }
    this.current = { state: 'down', since: new Date(), reason, latencyMs: null }
    log.error({ reason }, 'the database is unavailable: answering 503 until it is back')
    this.emit('down', reason)
    this.schedule(0)
  }

  private markUp(latencyMs: number) {
    const wasDown = this.current.state === 'down'
    if (wasDown)
      log.info({ downSeconds: (Date.now() - this.current.since.getTime()) / 1000 }, 'the database is back')
    this.current = { state: 'up', since: wasDown ? new Date() : this.current.since, reason: null, latencyMs }
    if (wasDown) this.emit('up')
  }

  private schedule(ms = this.isUp ? this.options.everyMs : this.options.whileDownMs) {
    if (this.closed) return
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.check(), ms)
    this.timer.unref()
  }

  private async check() {
    if (this.probing || this.closed) return
    this.probing = true
    const started = performance.now()
    let timer: NodeJS.Timeout | undefined
    let next: number | undefined
    try {
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(Object.assign(new Error('no answer from the database'), { code: 'CONNECT_TIMEOUT' })),
          this.options.timeoutMs,
        )
      })
      await Promise.race([this.probe`select 1`, late])
      this.slowProbes = 0
      this.markUp(Math.round((performance.now() - started) * 10) / 10)
    } catch (error) {
      // A stopped database refuses at once; one late answer is more often a busy machine (or
      // this process's loop held up past the timer), so a timeout counts only when it repeats.
      if (this.isUp && isSlow(error) && ++this.slowProbes < this.options.slowProbesBeforeDown) {
        log.warn({ slowProbes: this.slowProbes }, 'the database was slow to answer: asking again')
        next = this.options.whileDownMs
      } else {
        this.slowProbes = 0
        this.markDown(String((error as Error)?.message ?? error))
      }
    } finally {
      clearTimeout(timer)
      this.probing = false
      this.schedule(next)
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
  }
}

function isSlow(error: unknown): boolean {
  return slowCodes.has(String((error as { code?: unknown } | null)?.code))
}
