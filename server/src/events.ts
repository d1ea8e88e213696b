import { EventEmitter } from 'node:events'
import type { Alert } from '@citydeck/shared'

type EventMap = {
  /** Changes up to `lastSeq` were committed to the change log by this process. */
  'changelog.appended': [{ lastSeq: number }]
  /** An alert's state changed outside the SLA timers: acknowledged, escalated, directed. */
  'alert.changed': [Alert]
}

/**
 * In-process domain events. Modules announce what happened ("changes appended"); only `live/`
 * turns them into socket events. Other processes learn of changes from the database.
 */
export class DomainEvents extends EventEmitter<EventMap> {}
