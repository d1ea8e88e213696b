import { logger } from '../observability/logger'

const log = logger.child({ module: 'embedded-postgres' })

/**
 * Keeps the embedded PostgreSQL running (docs/design.md §11): if its postmaster dies (killed, crashed,
 * out of memory), it is started again on the same data and port, with growing pauses between
 * failed attempts (1 s, 2 s, … 30 s). Until it is back, `trouble` says why in words for the log
 * and health; the server answers 503 meanwhile, as for any outage.
 */
export class EmbeddedRestarts {
  private timer: NodeJS.Timeout | null = null
  private stopped = false
  private attempts = 0
  /** Why the embedded PostgreSQL is not running, or null while it runs. */
  trouble: string | null = null

  constructor(
    private readonly options: {
      /** Whether the postmaster is alive. */
      running: () => Promise<boolean>
      /** Starts it again; rejects with the reason it did not start. */
      restart: () => Promise<void>
      checkMs?: number
    },
  ) {
    this.schedule(options.checkMs ?? 1000)
  }

  private schedule(ms: number) {
    if (this.stopped) return
    this.timer = setTimeout(() => void this.check(), ms)
    this.timer.unref()
  }

  private async check() {
    if (await this.options.running()) {
      if (this.trouble) log.info({ attempts: this.attempts }, 'the embedded PostgreSQL runs again')
      this.trouble = null
      this.attempts = 0
      return this.schedule(this.options.checkMs ?? 1000)
    }
    if (this.stopped) return
    this.attempts++
    if (this.attempts === 1) {
      this.trouble = 'the embedded PostgreSQL exited: starting it again'
      log.error(this.trouble)
    }
    try {
      await this.options.restart()
      this.schedule(0)
    } catch (error) {
      const pause = Math.min(30, 2 ** (this.attempts - 1))
      this.trouble = `the embedded PostgreSQL exited and did not start again (attempt ${this.attempts}, next in ${pause} s): ${(error as Error)?.message ?? error}`
      log.error(this.trouble)
      this.schedule(pause * 1000)
    }
  }

  /** Stops watching (before a deliberate stop). */
  stop(): void {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
  }
}
