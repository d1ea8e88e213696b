import type { FeedName } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import { announce, type IngestDeps, type Normalized, type StoreResult, upsertStaged } from './ingest'
import { appendStagedChanges, createChangeStage } from './upsert.sql'

const rolledBack = Symbol('rolled back')

/**
 * One transaction that a streamed batch writes into while its body is still arriving, so
 * parsing and validation (Node) overlap the upserts (PostgreSQL). Writes run one at a time,
 * in delivery order, behind the reader. Nothing is visible to others until `commit()`.
 * Each write stages its accepted changes inside the transaction (createChangeStage); they go
 * into the change log (and with them the change-log lock, see appendChanges) only at commit,
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
  private nextOrd = 1
  private readonly wards = new Set<string | null>()
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
      await createChangeStage(tx as never)
      gotTx(tx as never)
      const commit = await verdict
      await this.writes
      if (this.failure) throw this.failure
      if (!commit) throw rolledBack
      return this.created + this.updated > 0 ? appendStagedChanges(tx as never) : null
    }) as Promise<number | null>
    this.done.catch(noTx)
  }

  /** Queues an upsert of these items (in order after the earlier ones); returns at once. */
  write(items: readonly Normalized[]): void {
    if (items.length === 0) return
    this.written += items.length
    this.writes = this.writes.then(async () => {
      if (this.failure) return
      try {
        const tx = await this.tx
        const staged = await upsertStaged(tx, this.feed, items, this.nextOrd)
        this.nextOrd = staged.nextOrd
        this.created += staged.created
        this.updated += staged.updated
        for (const ward of staged.wards) this.wards.add(ward)
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
    announce(this.deps, this.feed, { count: this.created + this.updated, wards: this.wards }, lastSeq)
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
