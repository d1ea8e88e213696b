import { z } from 'zod'

/** ISO 8601 timestamp that must carry an offset (`Z` or `+07:00`), so no feed time is ambiguous. */
export const isoDateTime = z.iso.datetime({ offset: true })

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

/** The four feeds, in the order they appear in URLs and in the change log. */
export const feedNames = ['tickets', 'dossiers', 'surveys', 'procedures'] as const
export const feedName = z.enum(feedNames)
export type FeedName = z.infer<typeof feedName>

/** A feed item's identity as used on the wire: `<source>:<ref>`. */
export function itemId(item: { source: string; ref: string }): string {
  return `${item.source}:${item.ref}`
}
