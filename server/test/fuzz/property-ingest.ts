import { feedNames, ingestResponseSchema } from '@citydeck/shared'
import fc from 'fast-check'
import { apiError, describe, type FuzzRequest, type FuzzStats, send } from './answers'
import { identity, isPlainObject, nextRef, type Slot, slot, storedRefs, withRef } from './batch-items'
import { fuzzProperty } from './run'
import type { Caller } from './target'

// Ingest batches (JSON arrays, NDJSON, single items): nothing stored from a rejected item, every
// good item stored, and every rejection names the field that was broken.

export const ingest = fuzzProperty({
  name: 'ingest batches: rejected items stored nowhere, good items stored',
  weight: 6,
  routes: () => ['POST /api/v1/feeds/:feed'],
  cases: () =>
    fc.constantFrom(...feedNames).chain((feed) =>
      fc.record({
        feed: fc.constant(feed),
        slots: fc.array(slot(feed), { minLength: 1, maxLength: 8 }),
        shape: fc.constantFrom('array', 'array', 'ndjson', 'ndjson', 'single', 'csv', 'text/plain'),
        ndjsonType: fc.constantFrom(
          'application/x-ndjson',
          'application/ndjson',
          'application/x-ndjson; charset=utf-8',
        ),
        junkLine: fc.option(fc.constantFrom('{', 'not json', '', '   ', '\r', '[1]', '"x"', '{"ref":'), {
          nil: undefined,
        }),
        caller: fc.constantFrom<Caller>('feed', 'feed', 'feed', 'admin', 'display'),
      }),
    ),
  run: async (t, stats, c) => {
    stats.routesHit.add('POST /api/v1/feeds/:feed')
    const { feed, slots } = c
    const items = slots.map((s) => withRef(s.value, nextRef()))
    // One value sent alone: an object is a single item, an array a batch, anything else malformed.
    const alone = c.shape === 'single'
    const single = alone && !Array.isArray(items[0])
    const sent: unknown[] = !alone ? items : Array.isArray(items[0]) ? (items[0] as unknown[]) : [items[0]]
    const slotOf = (i: number) => (alone && Array.isArray(items[0]) ? undefined : slots[i])
    let body: string
    let contentType: string
    // Where each item sits in the body, for NDJSON with a junk line in the middle.
    let junkAt = -1
    if (c.shape === 'ndjson') {
      const lines = items.map((i) => JSON.stringify(i) ?? 'null')
      if (c.junkLine !== undefined) {
        junkAt = Math.floor(lines.length / 2)
        lines.splice(junkAt, 0, c.junkLine)
      }
      body = lines.join('\n')
      contentType = c.ndjsonType
    } else if (c.shape === 'csv') {
      body = 'source,ref,updatedAt\nfuzz-source,x,2026-11-28T08:00:00+07:00'
      contentType = 'text/csv'
    } else {
      body = (alone ? JSON.stringify(items[0]) : JSON.stringify(items)) ?? 'null'
      contentType = c.shape === 'text/plain' ? 'text/plain' : 'application/json'
    }
    const req: FuzzRequest = {
      method: 'POST',
      path: `/api/v1/feeds/${feed}`,
      caller: c.caller,
      contentType,
      body,
    }
    const res = await send(t, stats, req)
    const stored = await storedRefs(t, feed, sent)
    const where = describe(req)
    if (res.status === 200 && !single) {
      const rejected = new Map<number, { field: string; message: string }>()
      for (const r of rejectedOf(res.json)) {
        // NDJSON entries are by line; a junk line is rejected as itself, not as an item.
        const line = r.line
        let index = r.index
        if (line !== undefined) {
          const lineIndex = line - 1
          if (lineIndex === junkAt) continue
          index = junkAt >= 0 && lineIndex > junkAt ? lineIndex - 1 : lineIndex
        }
        rejected.set(index, r)
        judgeRejection(stats, where, slotOf(index), r.field)
        const item = sent[index]
        if (!r.field && isPlainObject(item)) {
          stats.violation({
            kind: 'nameless',
            detail: `rejected item ${index} names no field: ${JSON.stringify(r)}`,
            request: where,
          })
        }
      }
      sent.forEach((item, i) => {
        const key = identity(item)
        if (rejected.has(i)) {
          if (key?.unique && stored.has(key.ref))
            stats.violation({
              kind: 'stored',
              detail: `rejected item ${i} (${key.ref}) was stored: ${JSON.stringify(rejected.get(i))}`,
              request: where,
            })
        } else if (!key || !stored.has(key.ref)) {
          stats.violation({
            kind: 'lost',
            detail: `item ${i} was not rejected but is not stored (${res.text.slice(0, 300)})`,
            request: where,
          })
        }
      })
      return
    }
    if (single && (res.status === 400 || res.status === 422)) {
      judgeRejection(stats, where, slots[0], String(apiError(res.json)?.field ?? ''))
    }
    if (res.status === 200 || res.status === 201) {
      const key = identity(sent[0])
      if (!key || !stored.has(key.ref))
        stats.violation({
          kind: 'lost',
          detail: `accepted but not stored: ${res.text.slice(0, 300)}`,
          request: where,
        })
      return
    }
    // Refused as a whole: nothing of it is stored.
    for (const item of sent) {
      const key = identity(item)
      if (key?.unique && stored.has(key.ref))
        stats.violation({
          kind: 'stored',
          detail: `${key.ref} stored although the request got ${res.status} ${res.text.slice(0, 200)}`,
          request: where,
        })
    }
  },
})

/** The rejected items of a batch's answer (docs/design.md §2). */
const rejectedOf = (json: unknown) => ingestResponseSchema.pick({ rejected: true }).parse(json).rejected

/** A valid item is never rejected; an item broken in one field is rejected for that field. */
function judgeRejection(stats: FuzzStats, request: string, slot: Slot | undefined, field: string): void {
  if (slot?.kind === 'valid') {
    stats.violation({ kind: 'lost', detail: `a valid item was rejected (${field})`, request })
  } else if (slot?.kind === 'invalid' && field !== slot.field) {
    stats.violation({
      kind: 'nameless',
      detail: `rejected for ${field}, not for ${slot.field}, the field that was broken`,
      request,
    })
  }
}
