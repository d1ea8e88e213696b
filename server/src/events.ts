import { EventEmitter } from 'node:events'
import type { FeedName } from '@citydeck/shared'

/** Feed items were accepted and appended to the change log up to `lastSeq`. */
export type FeedChanged = {
  feed: FeedName
  lastSeq: number
  count: number
  /** Wards touched by the change (null: items without a ward). */
  wards: Array<string | null>
}

type EventMap = { 'feed.changed': [FeedChanged] }

/**
 * In-process domain events. Modules announce what happened ("feeds changed"); only `live/`
 * turns them into socket events. Other processes learn of changes from the database.
 */
export class DomainEvents extends EventEmitter<EventMap> {}
