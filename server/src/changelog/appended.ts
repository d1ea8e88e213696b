import type { DomainEvents } from '../events'

/**
 * Tells this process's readers of the log (the live tail) that changes up to `lastSeq` were
 * committed, so they read at once rather than on the NOTIFY's round trip. Other processes learn
 * of them from the NOTIFY that a trigger on `change_log` sends.
 */
export function announceAppended(events: DomainEvents, lastSeq: number | null): void {
  if (lastSeq !== null) events.emit('changelog.appended', { lastSeq })
}
