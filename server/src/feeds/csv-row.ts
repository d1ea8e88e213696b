import { type FeedName, feedSchemas } from '@citydeck/shared'
import type { z } from 'zod'

/**
 * A CSV row → a feed item, with the same field names as the JSON feed, nested fields as
 * `location.lat`. The shared zod schema says which columns are numbers, booleans or lists,
 * so the CSV format follows the contract without a second list of types. Empty cells are
 * absent fields; lists (`media`) are separated by spaces or `|`.
 */
export function csvRowToItem(feed: FeedName, row: Record<string, string>): Record<string, unknown> {
  const item: Record<string, unknown> = {}
  for (const [column, raw] of Object.entries(row)) {
    const cell = raw.trim()
    if (cell === '' || column.startsWith('_')) continue
    const path = column.split('.')
    const kind = kindAt(feedSchemas[feed], path)
    let target = item
    for (const key of path.slice(0, -1)) {
      target[key] ??= {}
      target = target[key] as Record<string, unknown>
    }
    target[path.at(-1)!] = coerce(kind, cell)
  }
  return item
}

function coerce(kind: string, cell: string): unknown {
  if (kind === 'number') return cell.match(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/) ? Number(cell) : cell
  if (kind === 'boolean') {
    const lower = cell.toLowerCase()
    if (['true', '1', 'yes', 'có'].includes(lower)) return true
    if (['false', '0', 'no', 'không'].includes(lower)) return false
    return cell
  }
  if (kind === 'array') return cell.split(/[\s|]+/).filter(Boolean)
  return cell
}

/** The zod type at a dotted path ('number', 'boolean', 'array', 'string', …), or 'string'. */
function kindAt(schema: z.ZodType, path: string[]): string {
  let current: z.ZodType = schema
  for (const key of path) {
    const shape = (unwrap(current)._zod.def as { shape?: Record<string, z.ZodType> }).shape
    // Own fields only: a column called `constructor` is not the shape object's constructor.
    const next = shape && Object.hasOwn(shape, key) ? shape[key] : undefined
    if (!next) return 'string'
    current = next
  }
  return unwrap(current)._zod.def.type
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema
  while (['optional', 'nullable', 'default'].includes(s._zod.def.type)) {
    s = (s._zod.def as unknown as { innerType: z.ZodType }).innerType
  }
  return s
}
