import { EventEmitter } from 'node:events'

type EventMap = {
  /** Changes up to `lastSeq` were committed to the change log by this process. */
  'changelog.appended': [{ lastSeq: number }]
}

/**
 * In-process domain events. Modules announce what happened ("changes appended"); only `live/`
 * turns them into socket events. Other processes learn of changes from the database.
 */
export class DomainEvents extends EventEmitter<EventMap> {}
