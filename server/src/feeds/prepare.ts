import type { FeedName } from '@citydeck/shared'
import type { City } from '../city/profile'
import type { DomainEvents } from '../events'
import { type Normalized, normalizeItem, type Rejection, type Warning } from './normalize'
import { createWardLocator, type WardLocator } from './wards'

/** Items checked and derived, ready to store; rejections and warnings indexed from `firstIndex`. */
export type Prepared = { accepted: Normalized[]; rejected: Rejection[]; warnings: Warning[] }

const locators = new WeakMap<object, WardLocator>()

/**
 * The first half of ingest, without touching the database: validate and derive each item.
 * Streaming callers (HTTP batches, CSV import) prepare items as they arrive and store them later.
 */
export function prepareItems(
  deps: { city: City; events?: DomainEvents },
  feed: FeedName,
  items: readonly unknown[],
  options: { source?: string; firstIndex?: number } = {},
): Prepared {
  let locateWard = locators.get(deps.city)
  if (!locateWard) {
    locateWard = createWardLocator(deps.city.wards)
    locators.set(deps.city, locateWard)
  }
  const prepared: Prepared = { accepted: [], rejected: [], warnings: [] }
  const first = options.firstIndex ?? 0
  items.forEach((raw, i) => {
    const index = first + i
    const outcome = normalizeItem(feed, raw, {
      profile: deps.city.profile,
      locateWard,
      source: options.source,
    })
    if (!outcome.ok) {
      prepared.rejected.push({ index, ...outcome.rejection })
      return
    }
    if (outcome.warning) prepared.warnings.push({ index, ...outcome.warning })
    prepared.accepted.push(outcome.value)
  })
  if (prepared.rejected.length) deps.events?.emit('feed.rejected', { feed, count: prepared.rejected.length })
  return prepared
}
