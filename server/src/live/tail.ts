import { type ChangeRow, listenForAppends, newestSeq, readChanges } from '../changelog/changelog.sql'
import type { Sql } from '../db/connection'
import { logger } from '../observability/logger'

const log = logger.child({ module: 'live.tail' })
const readTimedOut = new Error('reading the change log took too long')

export type TailOptions = {
  /** Under load, frames are at least this far apart, so changes group into fewer frames. */
  groupMs: number
  /** Safety poll, for a NOTIFY lost while the listening connection was down. */
  pollMs: number
  /** Rows per read, and so at most per published batch. */
  batch: number
  /** A read that takes longer is given up and its connection replaced (a connection can hang). */
  readTimeoutMs: number
  /** Told of every failed read (the database watch learns of outages from it). */
  onReadError?: (error: unknown) => void
}

/**
 * This process's reader of the change log. Every process tails the log itself and publishes
 * to its own clients only, so each change reaches each client once, whichever process
 * ingested it. Woken by the local ingest, by NOTIFY from any process, and by a slow poll.
 *
 * `delivered` is the seq up to which batches were published; it advances in the same
 * synchronous step that publishes, which is what lets a resuming client join without a gap.
 */
export class ChangeTail {
  delivered = 0
  private running: Promise<void> | null = null
  private again = false
  private lastRunWithRows = 0
  private timer: NodeJS.Timeout | null = null
  private poller: NodeJS.Timeout | null = null
  private unlisten: (() => Promise<void>) | null = null
  private closed = false
  /** A pool of its own (one connection), so reads never queue behind ingest transactions. */
  private sql: Sql

  constructor(
    /** Opens that pool; called again to replace it when a read hung. */
    private readonly connect: () => Sql,
    private readonly publish: (rows: ChangeRow[]) => void,
    private readonly options: TailOptions,
  ) {
    this.sql = connect()
  }

  /** Starts from the newest seq: history is for clients that ask for it. */
  async start(): Promise<void> {
    this.delivered = await newestSeq(this.sql)
    this.unlisten = await listenForAppends(this.sql, () => this.wake())
    this.poller = setInterval(() => this.wake(), this.options.pollMs)
    this.poller.unref()
  }

  /**
   * Drops the connection and opens another: a read that never settles (a connection lost without
   * a reset) must not stop the tail for good. The NOTIFY listener moves with it; the poll covers
   * the moment between.
   */
  private async replaceConnection(): Promise<void> {
    const old = this.sql
    const unlisten = this.unlisten
    this.sql = this.connect()
    this.unlisten = null
    void unlisten?.().catch(() => {})
    void old.end({ timeout: 0 }).catch(() => {})
    try {
      this.unlisten = await listenForAppends(this.sql, () => this.wake())
    } catch (error) {
      log.warn({ err: error }, 'listening for change-log appends failed; the poll reads meanwhile')
    }
  }

  /** Asks for a read soon: now at low rates, after `groupMs` since the last non-empty read under load. */
  wake(): void {
    if (this.closed) return
    if (this.running) {
      this.again = true
      return
    }
    if (this.timer) return
    const wait = this.lastRunWithRows + this.options.groupMs - performance.now()
    if (wait <= 0) void this.run()
    else this.timer = setTimeout(() => void this.run(), wait)
  }

  /** Reads to the newest committed change now (used before a client resumes past `delivered`). */
  async catchUp(): Promise<void> {
    if (this.running) await this.running
    await this.run()
  }

  private run(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.running ??= this.readAll().finally(() => {
      this.running = null
      if (this.again) {
        this.again = false
        this.wake()
      }
    })
    return this.running
  }

  private async readAll(): Promise<void> {
    try {
      for (;;) {
        if (this.closed) return
        const rows = await this.read()
        if (rows.length === 0) return
        this.lastRunWithRows = performance.now()
        this.delivered = rows.at(-1)!.seq
        this.publish(rows)
        if (rows.length < this.options.batch) return
      }
    } catch (error) {
      if (this.closed) return
      this.options.onReadError?.(error)
      log.warn({ err: error }, 'reading the change log failed; the poll retries')
      if (error === readTimedOut) await this.replaceConnection()
    }
  }

  private async read(): Promise<ChangeRow[]> {
    let timer: NodeJS.Timeout | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(readTimedOut), this.options.readTimeoutMs)
    })
    try {
      return await Promise.race([readChanges(this.sql, this.delivered, null, this.options.batch), late])
    } finally {
      clearTimeout(timer)
    }
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    if (this.poller) clearInterval(this.poller)
    await this.running
    await this.unlisten?.().catch(() => {})
  }
}
