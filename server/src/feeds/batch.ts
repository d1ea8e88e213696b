import type { FeedName, IngestResponse } from '@citydeck/shared'
import { type BodyFormat, type BodyItem, readItems } from './body'
import type { IngestDeps } from './ingest'
import type { Normalized, Rejection } from './normalize'
import { prepareItems } from './prepare'
import { store } from './store'

/** Limits of one request (docs/design.md §2): 10,000 items, and a body of at most 50 MB. */
export const requestLimits = { maxItems: 10_000, maxBytes: 50 * 1024 * 1024 }
/** Items validated at a time while the body streams in. */
const prepareChunk = 1_000

export type BatchOutcome =
  | { kind: 'stored'; single: boolean; response: IngestResponse; rejectedKind?: Rejection['kind'] }
  | { kind: 'forbidden'; index: number; line?: number; message: string }

/** Thrown into the store to stop a body that carries another source's item. */
const stopForbidden = Symbol('forbidden item')

/**
 * Ingests a streamed body: items are parsed and validated as they arrive, a chunk at a time,
 * and their good items handed to the store as a stream, which writes them into one transaction
 * while the rest still arrives and commits only once the body is complete (see store.ts). So a
 * body that breaks a limit (413), is cut short (400) or carries another source's item (403)
 * stores nothing at all. Memory stays that of the parsed items, never the raw body.
 */
export async function ingestBody(
  deps: IngestDeps,
  feed: FeedName,
  stream: AsyncIterable<Uint8Array> | null,
  format: BodyFormat,
  options: { source?: string; idleMs?: number; streamWaitMs?: number },
): Promise<BatchOutcome> {
  let single = false
  const response: IngestResponse = { created: 0, updated: 0, ignored: 0, rejected: [], warnings: [] }
  let rejectedKind: Rejection['kind'] | undefined
  let forbidden: Extract<BatchOutcome, { kind: 'forbidden' }> | undefined

  const prepare = (chunk: BodyItem[]): Normalized[] => {
    const good = chunk.filter((i) => i.ok)
    const malformed = chunk.length - good.length
    if (malformed) deps.events.emit('feed.rejected', { feed, count: malformed })
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
    if (forbidden) throw stopForbidden
    return prepared.accepted
  }

  async function* accepted(): AsyncGenerator<Normalized[]> {
    let chunk: BodyItem[] = []
    const limits = { ...requestLimits, idleMs: options.idleMs }
    for await (const items of readItems(stream, format, limits, (s) => (single = s))) {
      for (const item of items) {
        chunk.push(item)
        if (chunk.length < prepareChunk) continue
        const good = prepare(chunk)
        chunk = []
        if (good.length) yield good
      }
    }
    const good = prepare(chunk)
    if (good.length) yield good
  }

  try {
    const stored = await store(deps, feed, accepted(), { streamWaitMs: options.streamWaitMs })
    response.created = stored.created
    response.updated = stored.updated
    response.ignored = stored.ignored
  } catch (error) {
    if (error === stopForbidden && forbidden) return forbidden
    throw error
  }
  response.rejected.sort((a, b) => a.index - b.index)
  return { kind: 'stored', single, response, rejectedKind }
}

function issue(item: BodyItem, field: string, message: string) {
  return item.line !== undefined
    ? { index: item.index, line: item.line, field, message }
    : { index: item.index, field, message }
}
