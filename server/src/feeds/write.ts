import type { FeedName } from '@citydeck/shared'
import { appendStaged, createStage } from '../changelog/changelog.sql'
import type { Queryable, Sql } from '../db/connection'
import type { Normalized } from './normalize'
import { deliveryRounds, statementRows, statements } from './rounds'
import { upsertAndAppend, upsertAndStage, type Written } from './upsert.sql'

// The two ways items reach the database, as leaves: store.ts chooses between them.

export type Op = 'created' | 'updated' | 'ignored'
/** What a write did to each item given (in order), and the last change-log seq it appended. */
export type WriteOutcome = { ops: Op[]; lastSeq: number | null }

/** Whether `items` fit one statement: one delivery round (no repeats), at most `statementRows`. */
export function fitsOneStatement(items: readonly Normalized[]): boolean {
  return items.length <= statementRows && deliveryRounds(items).length === 1
}

/**
 * Writes items that fit one statement (see fitsOneStatement) as ONE autocommit statement that
 * upserts them and appends their changes: one round trip, one commit.
 */
export async function writeInOneStatement(
  sql: Queryable,
  feed: FeedName,
  items: readonly Normalized[],
): Promise<WriteOutcome> {
  const [round] = deliveryRounds(items)
  const sorted = round!.map((i) => items[i]!)
  const written = await upsertAndAppend(sql, feed, sorted)
  const ops = new Array<Op>(items.length).fill('ignored')
  mark(ops, round!, written)
  return { ops, lastSeq: written.lastSeq }
}

const rolledBack = Symbol('rolled back')

/**
 * One transaction that writes items in as many statements as they need, while more may still
 * be coming (a streamed batch: parsing in Node overlaps the upserts in PostgreSQL). Writes run
 * one at a time, in delivery order. Each stages its accepted changes (changelog createStage);
 * they go into the change log, and with them its lock, only at `commit()`, so a slow writer
 * never holds up others beyond the rows it has written. `rollback()` leaves no trace.
 */
export class StagedWrite {
  private readonly tx: Promise<Queryable>
  private readonly done: Promise<number | null>
  private settle!: (commit: boolean) => void
  private writes: Promise<void> = Promise.resolve()
  private failure: unknown = null
  private readonly ops: Op[] = []
  private nextOrd = 0

  constructor(
    sql: Sql,
    private readonly feed: FeedName,
  ) {
    let gotTx!: (tx: Queryable) => void
    let noTx!: (error: unknown) => void
    this.tx = new Promise<Queryable>((resolve, reject) => {
      gotTx = resolve
      noTx = reject
    })
    this.tx.catch(() => {})
    const verdict = new Promise<boolean>((resolve) => (this.settle = resolve))
    this.done = sql.begin(async (tx) => {
      await createStage(tx)
      gotTx(tx)
      const commit = await verdict
      await this.writes
      if (this.failure) throw this.failure
      if (!commit) throw rolledBack
      return this.ops.some((op) => op !== 'ignored') ? appendStaged(tx) : null
    })
    this.done.catch(noTx)
  }

  /** Queues writing these items (after the earlier ones); returns at once. */
  write(items: readonly Normalized[]): void {
    if (items.length === 0) return
    const base = this.ops.length
    for (let i = 0; i < items.length; i++) this.ops.push('ignored')
    this.writes = this.writes.then(async () => {
      if (this.failure) return
      try {
        const tx = await this.tx
        for (const positions of statements(items)) {
          const written = await upsertAndStage(
            tx,
            this.feed,
            positions.map((i) => items[i]!),
            this.nextOrd,
          )
          this.nextOrd += positions.length
          mark(
            this.ops,
            positions.map((i) => base + i),
            written,
          )
        }
      } catch (error) {
        this.failure ??= error
      }
    })
  }

  /** Finishes the writes, appends the stage and commits; rejects with the first error (rolled back). */
  async commit(): Promise<WriteOutcome> {
    this.settle(true)
    const lastSeq = await this.done
    return { ops: this.ops, lastSeq }
  }

  /** Rolls everything back. */
  async rollback(): Promise<void> {
    this.settle(false)
    await this.done.catch(() => {})
  }
}

/** Writes all `items` in one staged transaction. */
export function writeStaged(sql: Sql, feed: FeedName, items: readonly Normalized[]): Promise<WriteOutcome> {
  const write = new StagedWrite(sql, feed)
  write.write(items)
  return write.commit()
}

/** Records a statement's outcome: `positions[k]` is where its k-th row's item stands in `ops`. */
function mark(ops: Op[], positions: readonly number[], written: Written): void {
  for (const k of written.created) ops[positions[k]!] = 'created'
  for (const k of written.updated) ops[positions[k]!] = 'updated'
}
