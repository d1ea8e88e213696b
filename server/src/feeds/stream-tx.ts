import type { FeedName } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import {
  announce,
  type Changed,
  type IngestDeps,
  type Normalized,
  type StoreResult,
  tagged,
  upsertTagged,
} from './ingest'
import { appendChanges, type ChangeEntry } from './upsert.sql'

const rolledBack = Symbol('rolled back')

/**
 * One transaction that a streamed batch writes into while its body is still arriving, so
 * parsing and validation (Node) overlap the upserts (PostgreSQL). Writes run one at a time,
 * in delivery order, behind the reader. Nothing is visible to others until `commit()`; the
 * change-log rows (and with them the change-log lock, see appendChanges) come only at commit,
 * so a slow body never holds up other writers beyond the rows it has already written.
 * `rollback()` (a body that breaks a limit, is cut short or carries another source's item)
 * leaves no trace.
 */
export class StreamingTransaction {
  private readonly tx: Promise<Sql>
  private readonly done: Promise<number | null>
  private settle!: (commit: boolean) => void
  private writes: Promise<void> = Promise.resolve()
  private failure: unknown = null
  private written = 0
  private readonly changes: ChangeEntry[] = []
  private readonly changed: Changed = { count: 0, wards: new Set() }
  private created = 0
  private updated = 0

  constructor(
    private readonly deps: IngestDeps,
    private readonly feed: FeedName,
  ) {
    let gotTx!: (tx: Sql) => void
    let noTx!: (error: unknown) => void
    this.tx = new Promise<Sql>((resolve, reject) => {
      gotTx = resolve
      noTx = reject
    })
    this.tx.catch(() => {})
    const verdict = new Promise<boolean>((resolve) => (this.settle = resolve))
    this.done = deps.sql.begin(async (tx) => {
      gotTx(tx as never)
      const commit = await verdict
      await this.writes
      if (this.failure) throw this.failure
      if (!commit) throw rolledBack
      return this.changes.length ? appendChanges(tx as never, this.changes) : null
    }) as Promise<number | null>
    this.done.catch(noTx)
  }

  /** Queues an upsert of these items (in order after the earlier ones); returns at once. */
  write(items: readonly Normalized[]): void {
    if (items.length === 0) return
    const from = this.written
    this.written += items.length
    this.writes = this.writes.then(async () => {
      if (this.failure) return
      try {
        const tx = await this.tx
        await upsertTagged(tx, this.feed, tagged(items, from), (t, op) => {
          if (op === 'created') this.created++
          else this.updated++
          this.changes.push({ feed: this.feed, created: op === 'created', json: t.n.json })
          this.changed.count++
          this.changed.wards.add(t.n.wardCode)
        })
      } catch (error) {
        this.failure ??= error
      }
    })
  }

  /** Writes the rest, appends the change log and commits; rejects with the first error (rolled back). */
  async commit(rest: readonly Normalized[] = []): Promise<StoreResult> {
    this.write(rest)
    this.settle(true)
    const lastSeq = await this.done
    announce(this.deps, this.feed, this.changed, lastSeq)
    return {
      created: this.created,
      updated: this.updated,
      ignored: this.written - this.created - this.updated,
      lastSeq,
    }
  }

  /** Rolls everything back. */
  async rollback(): Promise<void> {
    this.settle(false)
    await this.done.catch(() => {})
  }
}
