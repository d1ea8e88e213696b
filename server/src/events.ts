import { EventEmitter } from 'node:events'
import type { Alert, FeedName } from '@citydeck/shared'

type EventMap = {
  /** Changes up to `lastSeq` were committed to the change log by this process. */
  'changelog.appended': [{ lastSeq: number }]
  /** Items of one write were committed by this process: how many were new, changed, or stale repeats. */
  'feed.stored': [{ feed: FeedName; created: number; updated: number; ignored: number }]
  /** Items were refused by validation, whichever door they came by (nothing of them was stored). */
  'feed.rejected': [{ feed: FeedName; count: number }]
  /** An alert's state changed outside the SLA timers: acknowledged, escalated, directed. */
  'alert.changed': [Alert]
}

/**
 * In-process domain events. Modules announce what happened ("changes appended"); only `live/`
 * turns them into socket events. Other processes learn of changes from the database.
 */
export class DomainEvents extends EventEmitter<EventMap> {}
