import { z } from 'zod'

/** Years a time may fall in: PostgreSQL cannot store year 0, nor a JSON time past 9999. */
export const yearRange = { min: 1900, max: 2999 } as const

/** Whether an ISO time falls within `yearRange` (so it, and a deadline derived from it, is storable). */
export function inYearRange(iso: string): boolean {
  const year = new Date(iso).getUTCFullYear()
  return year >= yearRange.min && year <= yearRange.max
}

/** ISO 8601 timestamp that must carry an offset (`Z` or `+07:00`), so no feed time is ambiguous. */
export const isoDateTime = z.iso
  .datetime({ offset: true })
  .refine(inYearRange, `must be a date between ${yearRange.min} and ${yearRange.max}`)

/**
 * Whether PostgreSQL can store a string: no NUL character (text cannot hold U+0000) and no lone
 * UTF-16 surrogate (JSON's "\ud800" is not valid in jsonb). Applies to any text a client sends.
 */
export function isStorableText(text: string): boolean {
  return !text.includes('\u0000') && text.isWellFormed()
}

/** Free text from a query string or a body: storable (isStorableText), trimmed, 1–`max` characters. */
export function storableText(max: number) {
  return z
    .string()
    .refine(isStorableText, 'must not contain the NUL character or a lone UTF-16 surrogate')
    .trim()
    .min(1)
    .max(max)
}

/** Fields every feed item carries: its identity `(source, ref)` and the version clock `updatedAt`. */
export const feedItemBase = z.object({
  source: z.string().trim().min(1).max(100),
  ref: z.string().trim().min(1).max(200),
  updatedAt: isoDateTime,
})

export const geoPoint = z.object({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
})

/** The five feeds, in the order they appear in URLs and in the change log. */
export const feedNames = ['tickets', 'dossiers', 'surveys', 'procedures', 'tasks'] as const
export const feedName = z.enum(feedNames)
export type FeedName = z.infer<typeof feedName>

/** A feed item's identity as used on the wire: `<source>:<ref>`. */
export function itemId(item: { source: string; ref: string }): string {
  return `${item.source}:${item.ref}`
}
