import type { FeedName, IngestResponse } from '@citydeck/shared'
import { type BodyFormat, type BodyItem, readItems } from './body'
import { storeGrouped } from './group-commit'
import {
  groupCommitItems,
  type IngestDeps,
  isDeadlock,
  type Normalized,
  prepareItems,
  type Rejection,
  type StoreResult,
  storePrepared,
} from './ingest'
import { StreamingTransaction } from './stream-tx'

/** Limits of one request (DESIGN §2): 10,000 items, and a body of at most 50 MB. */
export const requestLimits = { maxItems: 10_000, maxBytes: 50 * 1024 * 1024 }
/** Items validated at a time while the body streams in; each such chunk is then written. */
const prepareChunk = 1_000

export type BatchOutcome =
  | { kind: 'stored'; single: boolean; response: IngestResponse; rejectedKind?: Rejection['kind'] }
  | { kind: 'forbidden'; index: number; line?: number; message: string }

/**
 * Ingests a streamed body: items are parsed and validated as they arrive. A batch's good items
 * are written, a chunk at a time, into one transaction opened with its first full chunk, while
 * the rest of the body is still arriving and being validated (see StreamingTransaction); it
 * commits only once the body is complete. So a body that breaks a limit (413), is cut short
 * (400) or carries another source's item (403) stores nothing at all: the transaction is
 * rolled back. Memory stays that of the parsed items, never the raw body. Requests with few
 * items (single objects, short batches) are written by group commit instead.
 */
export async function ingestBody(
  deps: IngestDeps,
  feed: FeedName,
  stream: AsyncIterable<Uint8Array> | null,
  format: BodyFormat,
  options: { source?: string; idleMs?: number },
): Promise<BatchOutcome> {
  let single = false
  const accepted: Normalized[] = []
  let unwritten: Normalized[] = []
  const response: IngestResponse = { created: 0, updated: 0, ignored: 0, rejected: [], warnings: [] }
  let rejectedKind: Rejection['kind'] | undefined
  let forbidden: BatchOutcome | undefined
  let chunk: BodyItem[] = []
  let tx: StreamingTransaction | null = null

  const flush = () => {
    const good = chunk.filter((i) => i.ok)
    const prepared = prepareItems(
      deps,
      feed,
      good.map((i) => (i.ok ? i.value : null)),
      options,
    )
    for (const r of prepared.rejected) {
      const item = good[r.index]!
      rejectedKind ??= r.kind
      if (r.kind === 'forbidden' && !forbidden) {
        forbidden = { kind: 'forbidden', index: item.index, line: item.line, message: r.message }
      }
      response.rejected.push(issue(item, r.field, r.message))
    }
    for (const w of prepared.warnings) response.warnings.push(issue(good[w.index]!, w.field, w.message))
    for (const bad of chunk) {
      if (bad.ok) continue
      rejectedKind ??= 'malformed'
      response.rejected.push(issue(bad, '', bad.message))
    }
    chunk = []
    if (forbidden) return
    for (const n of prepared.accepted) accepted.push(n)
    for (const n of prepared.accepted) unwritten.push(n)
    if (unwritten.length >= prepareChunk) {
      tx ??= new StreamingTransaction(deps, feed)
      tx.write(unwritten)
      unwritten = []
    }
  }

  let stored: StoreResult
  try {
    reading: for await (const items of readItems(
      stream,
      format,
      { ...requestLimits, idleMs: options.idleMs },
      (s) => (single = s),
    )) {
      for (const item of items) {
        chunk.push(item)
        if (chunk.length >= prepareChunk) flush()
        if (forbidden) break reading
      }
    }
    if (!forbidden) flush()
    if (forbidden) {
      await (tx as StreamingTransaction | null)?.rollback()
      return forbidden
    }
    stored = await store(deps, feed, tx, accepted, unwritten)
  } catch (error) {
    await (tx as StreamingTransaction | null)?.rollback()
    throw error
  }
  response.rejected.sort((a, b) => a.index - b.index)
  response.created = stored.created
  response.updated = stored.updated
  response.ignored = stored.ignored
  return { kind: 'stored', single, response, rejectedKind }
}

async function store(
  deps: IngestDeps,
  feed: FeedName,
  tx: StreamingTransaction | null,
  accepted: Normalized[],
  unwritten: Normalized[],
): Promise<StoreResult> {
  if (!tx) {
    return accepted.length <= groupCommitItems
      ? storeGrouped(deps, { feed, items: accepted })
      : storePrepared(deps, feed, accepted)
  }
  try {
    return await tx.commit(unwritten)
  } catch (error) {
    // Another request locked some of the same rows in another order while this body streamed
    // in: the transaction was rolled back; store the whole batch again, in key order.
    if (isDeadlock(error)) return storePrepared(deps, feed, accepted)
    throw error
  }
}

function issue(item: BodyItem, field: string, message: string) {
  return item.line !== undefined
    ? { index: item.index, line: item.line, field, message }
    : { index: item.index, field, message }
}
