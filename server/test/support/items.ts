import { testFeedSource } from './test-server'

/** A point in Phường Phú Trinh, central Phan Thiết. */
export const inPhuTrinh = { lat: 10.932, lng: 108.1 }

/**
 * A valid ticket in wire shape (docs/design.md §2) from the test feed's source, received and last
 * updated 2026-11-28 08:00 local time; `over` replaces or adds fields.
 */
export function sampleTicket(ref: string, over: Record<string, unknown> = {}) {
  return {
    source: testFeedSource,
    ref,
    updatedAt: '2026-11-28T08:00:00+07:00',
    category: 'waste',
    title: 'Rác tồn đọng',
    location: inPhuTrinh,
    status: 'received',
    receivedAt: '2026-11-28T08:00:00+07:00',
    ...over,
  }
}
