import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { feedNames } from '@citydeck/shared'
import { parse as parseCsv } from 'csv-parse/sync'
import fc from 'fast-check'
import { importCsv } from '../../src/feeds/csv-import'
import { isPlainObject, nextRef, slot, storedRefs, withRef } from './batch-items'
import { fuzzProperty } from './run'

// CSV import (`npm run import`): the same validation as ingest, so the same promises.

/** `{location: {lat: 1}}` → `{'location.lat': '1'}`, as a spreadsheet export names columns. */
function flatten(
  value: unknown,
  prefix = '',
  // No prototype: a column may be called __proto__ or constructor.
  out: Record<string, string> = Object.create(null),
): Record<string, string> {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
  } else if (prefix) {
    // As the file will hold it: UTF-8 has no lone surrogates (they are written as U+FFFD).
    out[prefix] = (typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).toWellFormed()
  }
  return out
}

const csvCell = (v: string) => `"${v.replace(/"/g, '""')}"`

export const csvImport = fuzzProperty({
  name: 'CSV import: rejected rows stored nowhere, good rows stored',
  weight: 2,
  routes: () => [],
  cases: () =>
    fc.constantFrom(...feedNames).chain((feed) =>
      fc.record({
        feed: fc.constant(feed),
        slots: fc.array(slot(feed), { minLength: 1, maxLength: 8 }),
        bom: fc.boolean(),
        crlf: fc.boolean(),
        junkLast: fc.option(fc.constantFrom('"unclosed', 'a,"b"c', '\u0000', ',,,,,,,,,,,,,,,'), {
          nil: undefined,
        }),
      }),
    ),
  run: async (t, stats, c) => {
    const feed = c.feed
    const slots = c.slots.filter((s) => isPlainObject(s.value))
    if (!slots.length) return
    const rows = slots.map((s) => flatten(withRef(s.value, nextRef())))
    const header = [...new Set(rows.flatMap((r) => Object.keys(r)))]
    const nl = c.crlf ? '\r\n' : '\n'
    const lines = [
      header.map(csvCell).join(','),
      ...rows.map((r) => header.map((h) => csvCell(r[h] ?? '')).join(',')),
    ]
    if (c.junkLast !== undefined) lines.push(c.junkLast)
    const dir = await mkdtemp(path.join(tmpdir(), 'citydeck-fuzz-csv-'))
    const file = path.join(dir, `${feed}.csv`)
    await writeFile(file, `${c.bom ? '\ufeff' : ''}${lines.join(nl)}${nl}`)
    stats.requests++
    const where = `importCsv ${feed} ${JSON.stringify(lines.join(nl).slice(0, 800))}`
    try {
      const summary = await importCsv(t.deps, feed, file)
      const rejectedRefs = new Set<string>()
      if (summary.rejectsFile) {
        const rejects = parseCsv(await readFile(summary.rejectsFile), { columns: true, bom: true }) as Array<
          Record<string, string>
        >
        for (const r of rejects) {
          // The file lists rows stored with a warning too (`outcome` stored).
          if (r.ref && r.outcome === 'rejected') rejectedRefs.add(r.ref)
          if (!r.field && r.line && r.reason && !r.reason.startsWith('not valid CSV')) {
            stats.violation({
              kind: 'nameless',
              detail: `row ${r.line} rejected naming no field: ${r.reason}`,
              request: where,
            })
          }
        }
      }
      const stored = await storedRefs(
        t,
        feed,
        rows.map((r) => ({ source: r.source, ref: r.ref })),
      )
      rows.forEach((r, i) => {
        if (!r.ref?.startsWith('fz-')) return
        if (rejectedRefs.has(r.ref)) {
          if (stored.has(r.ref))
            stats.violation({ kind: 'stored', detail: `rejected row ${r.ref} was stored`, request: where })
          else if (slots[i]!.kind === 'valid')
            stats.violation({ kind: 'lost', detail: `valid row ${r.ref} was rejected`, request: where })
        } else if (!stored.has(r.ref)) {
          stats.violation({
            kind: 'lost',
            detail: `row ${r.ref} was neither rejected nor stored`,
            request: where,
          })
        }
      })
    } catch (error) {
      stats.violation({
        kind: '5xx',
        detail: `importCsv threw: ${(error as Error).stack?.slice(0, 600)}`,
        request: where,
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  },
})
