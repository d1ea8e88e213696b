import type { FeedName } from '@citydeck/shared'
import fc from 'fast-check'
import { feedTables, invalidItem, validItem } from '../feeds-arbitraries'
import { type FuzzTarget, fuzzSource } from './target'
import { mutated, nastyValue } from './values'

// The items of an ingest batch or CSV file, and where they were stored: shared by the ingest and
// CSV import properties, which make the same promise (nothing stored from a rejected item, every
// good item stored).

let refCounter = 0
/** A ref no other item of this process has had. */
export const nextRef = () => `fz-${process.pid}-${++refCounter}`
/** The ref an item is drawn with, replaced by `withRef`. */
const placeholder = '__REF__'

/** One item of a batch: valid, broken in one known field, mutated anywhere, or not an object. */
export type Slot = { value: unknown; kind: 'valid' | 'invalid' | 'mutated' | 'not an object'; field?: string }
export const slot = (feed: FeedName): fc.Arbitrary<Slot> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: validItem(feed, fc.constant(placeholder)).map((v) => ({
        value: v as unknown,
        kind: 'valid' as const,
      })),
    },
    {
      weight: 2,
      arbitrary: invalidItem(feed, fc.constant(placeholder)).map((v) => ({
        value: v.item as unknown,
        kind: 'invalid' as const,
        field: v.field,
      })),
    },
    {
      weight: 4,
      arbitrary: mutated(validItem(feed, fc.constant(placeholder))).map((m) => ({
        value: m.value,
        kind: 'mutated' as const,
      })),
    },
    { weight: 1, arbitrary: nastyValue.map((v) => ({ value: v, kind: 'not an object' as const })) },
  )

/** The item with a fresh `ref` (and the fuzz feed's source) in place of the placeholder. */
export function withRef(value: unknown, ref: string): unknown {
  if (!isPlainObject(value)) return value
  return value.ref === placeholder
    ? { ...value, ref, source: value.source === 'test-source' ? fuzzSource : value.source }
    : value
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v)

/** The (trimmed) ref an item would be stored under, and whether only this run used it. */
export function identity(item: unknown): { ref: string; source: string; unique: boolean } | null {
  if (!isPlainObject(item)) return null
  const { ref, source } = item
  if (typeof ref !== 'string' || typeof source !== 'string') return null
  if (!ref.isWellFormed() || ref.includes('\u0000') || !source.isWellFormed() || source.includes('\u0000'))
    return null
  return { ref: ref.trim(), source: source.trim(), unique: ref.startsWith('fz-') }
}

export async function storedRefs(t: FuzzTarget, feed: FeedName, items: unknown[]): Promise<Set<string>> {
  const keys = items.map(identity).filter((k) => k !== null)
  if (!keys.length) return new Set()
  const rows = await t.sql<{ source: string; ref: string }[]>`
    select source, ref from ${t.sql(feedTables[feed])}
    where (source, ref) in ${t.sql(keys.map((k) => t.sql([k.source, k.ref])))}`
  return new Set(rows.map((r) => r.ref))
}
