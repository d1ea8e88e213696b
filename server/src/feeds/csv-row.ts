import { type FeedName, feedSchemas } from '@citydeck/shared'
import { z } from 'zod'
import { type CellReading, dateExample, readBoolean, readDateTime, readList, readNumber } from './csv-cells'
import type { CellDialect } from './csv-dialect'

export type RowReading =
  | { ok: true; item: Record<string, unknown> }
  | { ok: false; field: string; reason: string }

type Column = { name: string; path: string[]; read: (cell: string) => CellReading }

const notUtf8 =
  'the file is not UTF-8 (this cell has bytes that are not text): in Excel, save it as "CSV UTF-8 (Comma delimited)"'

/**
 * A CSV header → a reader of its rows into feed items, with the same field names as the JSON
 * feed, nested fields as `location.lat`. The shared zod schema says which columns are numbers,
 * booleans, lists or times, so the CSV format follows the contract without a second list of
 * types; each column's reader is chosen once, from the header, not once per cell. Empty cells
 * are absent fields; columns the feed does not have, or named `_…`, are left out (the schema
 * would drop them anyway).
 */
export function createRowReader(
  feed: FeedName,
  header: readonly string[],
  dialect: CellDialect,
): (cells: readonly string[]) => RowReading {
  const columns = header.map((name) => planColumn(feedSchemas[feed], name.trim(), dialect))
  return (cells) => {
    const item: Record<string, unknown> = {}
    for (let i = 0; i < columns.length; i++) {
      const column = columns[i]
      if (!column) continue
      const cell = (cells[i] ?? '').trim()
      if (cell === '') continue
      if (cell.includes('\uFFFD'))
        return { ok: false, field: column.name, reason: `${column.name}: ${notUtf8}` }
      const reading = column.read(cell)
      if (!reading.ok) return { ok: false, field: column.name, reason: `${column.name}: ${reading.reason}` }
      let target = item
      for (let k = 0; k < column.path.length - 1; k++) {
        const key = column.path[k]!
        target[key] ??= {}
        const inner = target[key]
        if (typeof inner !== 'object' || inner === null) {
          const reason = `${column.name}: the column ${key} is given too: send only ${column.name}`
          return { ok: false, field: column.name, reason }
        }
        target = inner as Record<string, unknown>
      }
      target[column.path.at(-1)!] = reading.value
    }
    return { ok: true, item }
  }
}

/** The reason for a field the schema refused, with what to send when the CSV has its own way of writing it. */
export function withHint(feed: FeedName, field: string, reason: string, dialect: CellDialect): string {
  const kind = field ? kindAt(feedSchemas[feed], field.split('.')) : null
  return kind === 'datetime' && !reason.includes('such as')
    ? `${reason}: send ${dateExample(dialect)}`
    : reason
}

function planColumn(schema: z.core.$ZodType, name: string, dialect: CellDialect): Column | null {
  if (name === '' || name.startsWith('_')) return null
  const path = name.split('.')
  if (path.includes('__proto__')) return null
  const kind = kindAt(schema, path)
  if (kind === null) return null
  const read: Column['read'] =
    kind === 'number'
      ? (cell) => readNumber(cell, dialect)
      : kind === 'boolean'
        ? readBoolean
        : kind === 'array'
          ? readList
          : kind === 'datetime'
            ? (cell) => readDateTime(cell, dialect)
            : (cell) => ({ ok: true, value: cell })
  return { name, path, read }
}

/**
 * The kind of the zod type at a dotted path ('number', 'boolean', 'array', 'datetime', 'string',
 * …); inside a record, 'string'; null when the feed has no such field.
 */
function kindAt(schema: z.core.$ZodType, path: readonly string[]): string | null {
  let current = schema
  for (const key of path) {
    const inner = unwrap(current)
    if (inner instanceof z.core.$ZodRecord) return 'string'
    if (!(inner instanceof z.core.$ZodObject)) return null
    const { shape } = inner._zod.def
    // Own fields only: a column called `constructor` is not the shape object's constructor.
    const next = Object.hasOwn(shape, key) ? shape[key] : undefined
    if (!next) return null
    current = next
  }
  const inner = unwrap(current)
  return inner instanceof z.core.$ZodStringFormat && inner._zod.def.format === 'datetime'
    ? 'datetime'
    : inner._zod.def.type
}

/** The schema under its optional, nullable and default wrappers (zod's own classes, so `def` is typed). */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let s = schema
  while (
    s instanceof z.core.$ZodOptional ||
    s instanceof z.core.$ZodNullable ||
    s instanceof z.core.$ZodDefault
  ) {
    s = s._zod.def.innerType
  }
  return s
}
