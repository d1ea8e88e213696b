import type { FeedName } from '@citydeck/shared'
import type { AppDeps } from '../context'
import type { Rejection, Warning } from './normalize'
import { prepareItems } from './prepare'
import { type StoreResult, store } from './store'

export type { Normalized, Rejection, Warning } from './normalize'
export { type Prepared, prepareItems } from './prepare'
export { type StoreResult, store } from './store'

/** docs/design.md §2 response counts; `ignored` are stale (or identical) repeats of a stored version. */
export type IngestResult = StoreResult & { rejected: Rejection[]; warnings: Warning[] }

export type IngestDeps = Pick<AppDeps, 'sql' | 'city' | 'events'>

/**
 * The one path by which feed items are stored, for HTTP feeds, CSV import, Open311, directives
 * and the demo alike: validate each item and derive its fields (prepare.ts), then store the good
 * ones (store.ts). A rejected item leaves no trace; the good items of a batch are stored.
 */
export async function ingestItems(
  deps: IngestDeps,
  feed: FeedName,
  items: readonly unknown[],
  options: { source?: string } = {},
): Promise<IngestResult> {
  const prepared = prepareItems(deps, feed, items, options)
  const stored = await store(deps, feed, prepared.accepted)
  return { ...stored, rejected: prepared.rejected, warnings: prepared.warnings }
}
