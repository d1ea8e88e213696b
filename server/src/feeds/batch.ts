import type { FeedName, IngestResponse } from '@citydeck/shared'
import { type BodyFormat, type BodyItem, readItems } from './body'
import { type IngestDeps, type Normalized, prepareItems, type Rejection, storePrepared } from './ingest'

/** Limits of one request (DESIGN §2): 10,000 items, and a body of at most 50 MB. */
export const requestLimits = { maxItems: 10_000, maxBytes: 50 * 1024 * 1024 }
/** Items validated at a time while the body streams in. */
const prepareChunk = 1_000

export type BatchOutcome =
  | { kind: 'stored'; single: boolean; response: IngestResponse; rejectedKind?: Rejection['kind'] }
  | { kind: 'forbidden'; index: number; line?: number; message: string }

/**
 * Ingests a streamed body: items are parsed and validated as they arrive, then the good ones are
 * stored in one transaction once the body is complete. So a body that breaks a limit (413),
 * is cut short (400) or carries another source's item (403) stores nothing at all, while
 * the memory used stays that of the parsed items, never the raw body.
 */
export async function ingestBody(
  deps: IngestDeps,
  feed: FeedName,
  stream: ReadableStream<Uint8Array> | null,
  format: BodyFormat,
  options: { source?: string },
): Promise<BatchOutcome> {
  let single = false
  const accepted: Normalized[] = []
  const response: IngestResponse = { created: 0, updated: 0, ignored: 0, rejected: [], warnings: [] }
  let rejectedKind: Rejection['kind'] | undefined
  let forbidden: BatchOutcome | undefined
  let chunk: BodyItem[] = []

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
    accepted.push(...prepared.accepted)
    chunk = []
  }

  for await (const item of readItems(stream, format, requestLimits, (s) => (single = s))) {
    chunk.push(item)
    if (chunk.length >= prepareChunk) flush()
    if (forbidden) return forbidden
  }
  flush()
  if (forbidden) return forbidden
  response.rejected.sort((a, b) => a.index - b.index)
  const stored = await storePrepared(deps, feed, accepted)
  response.created = stored.created
  response.updated = stored.updated
  response.ignored = stored.ignored
  return { kind: 'stored', single, response, rejectedKind }
}

function issue(item: BodyItem, field: string, message: string) {
  return item.line !== undefined
    ? { index: item.index, line: item.line, field, message }
    : { index: item.index, field, message }
}
