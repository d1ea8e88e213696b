import { logger } from '../observability/logger'
import { settlesWithin } from '../settles-within'

const log = logger.child({ module: 'embedded-postgres' })

/** Pause after the n-th failed attempt: 1, 2, 4, 8, then every 10 s. */
export const restartPause = (attempt: number) => Math.min(10, 2 ** (attempt - 1))

/**
 * Keeps the embedded PostgreSQL running (docs/design.md §11): if its postmaster dies (killed,
 * crashed, out of memory), it is started again on the same data and port, with growing pauses
 * between failed attempts. Each attempt is bounded by whoever makes it (`restart`), so one start
 * that hangs cannot stop the attempts after it. Until it is back, `trouble` says why in words for
 * the log and health; the server answers 503 meanwhile, as for any outage.
 */
export class EmbeddedRestarts {
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private attempts = 0
  private since = 0
  private inFlight: Promise<void> | null = null
  /** Why the embedded PostgreSQL is not running, or null while it runs. */
  trouble: string | null = null

  constructor(
    private readonly options: {
      /** Whether the postmaster is alive. */
      running: () => Promise<boolean>
      /** One bounded attempt to start it again; rejects with the reason it did not start. */
      restart: (attempt: number) => Promise<void>
      checkMs?: number
    },
  ) {
    this.schedule(options.checkMs ?? 1000)
  }

  private schedule(ms: number) {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.inFlight = this.check().finally(() => {
        this.inFlight = null
      })
    }, ms)
    this.timer.unref()
  }

  private async check() {
    if (await this.options.running()) {
      if (this.trouble) {
        log.info({ attempts: this.attempts, seconds: this.elapsed() }, 'the embedded PostgreSQL runs again')
      }
      this.trouble = null
      this.attempts = 0
      return this.schedule(this.options.checkMs ?? 1000)
    }
    if (this.stopped) return
    if (this.attempts === 0) {
      this.since = performance.now()
      log.error('the embedded PostgreSQL exited: starting it again')
    }
    this.attempts++
    this.trouble = `the embedded PostgreSQL exited ${this.elapsed()} s ago: starting it again (attempt ${this.attempts})`
    try {
      await this.options.restart(this.attempts)
      this.schedule(0)
    } catch (error) {
      const pause = restartPause(this.attempts)
      this.trouble = `the embedded PostgreSQL exited ${this.elapsed()} s ago and did not start again (attempt ${this.attempts}, next in ${pause} s): ${(error as Error)?.message ?? error}`
      log.error(this.trouble)
      this.schedule(pause * 1000)
    }
  }

  private elapsed() {
    return Math.round((performance.now() - this.since) / 100) / 10
  }

  /** Stops watching (before a deliberate stop), after the attempt under way, if any, ended. */
  async stop(waitMs = 20_000): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    await settlesWithin(this.inFlight ?? undefined, waitMs)
  }
}
