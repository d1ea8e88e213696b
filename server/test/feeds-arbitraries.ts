import { type FeedName, feedNames } from '@citydeck/shared'
import fc from 'fast-check'
import { testFeedSource } from './support/test-server'

/** fast-check generators of feed items as an integrator would send them (docs/design.md §2). */
const categories = [
  'security_order',
  'sanitation',
  'waste',
  'urban_order',
  'traffic',
  'lighting',
  'water',
  'other',
]
const base = Date.UTC(2026, 10, 1)
const time = fc.integer({ min: 0, max: 20 * 24 * 60 }).map((m) => new Date(base + m * 60_000).toISOString())
const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => s.trim().length > 0)
// Around Phan Thiết, including points in gaps between wards and a few far at sea.
const location = fc.record({
  lat: fc.double({ min: 10.85, max: 11.05, noNaN: true }),
  lng: fc.double({ min: 107.95, max: 108.3, noNaN: true }),
})

const bodies: Record<FeedName, fc.Arbitrary<Record<string, unknown>>> = {
  tickets: fc.record(
    {
      category: fc.constantFrom(...categories),
      title: text,
      location,
      status: fc.constantFrom('received', 'assigned', 'in_progress', 'resolved', 'closed', 'rejected'),
      receivedAt: time,
      address: text,
      unit: fc.constantFrom('UBND-PT', 'CA-PT', 'unknown-unit'),
      reporter: fc.record({ name: text, phone: fc.constant('0909000000') }),
    },
    { requiredKeys: ['category', 'title', 'location', 'status', 'receivedAt'] },
  ),
  dossiers: fc.record(
    {
      procedureCode: fc.constantFrom('1.001', '2.002', '3.003'),
      channel: fc.constantFrom('online', 'direct', 'postal'),
      status: fc.constantFrom('received', 'processing', 'done', 'withdrawn'),
      receivedAt: time,
      dueAt: time,
      digitizedInput: fc.boolean(),
      supplementRequests: fc.integer({ min: 0, max: 5 }),
    },
    { requiredKeys: ['procedureCode', 'channel', 'status', 'receivedAt', 'dueAt'] },
  ),
  surveys: fc.record(
    { submittedAt: time, score: fc.integer({ min: 1, max: 5 }), comment: text },
    { requiredKeys: ['submittedAt', 'score'] },
  ),
  procedures: fc.record({
    code: fc.constantFrom('1.001', '2.002'),
    name: text,
    field: text,
    level: fc.constantFrom('full', 'partial', 'none'),
    provincialPortal: fc.boolean(),
    nationalPortal: fc.boolean(),
    feeBearing: fc.boolean(),
  }),
  tasks: fc.record(
    {
      title: text,
      unit: fc.constantFrom('UBND-PT', 'CA-PT', 'unknown-unit'),
      issuedAt: time,
      dueAt: time,
      status: fc.constantFrom('assigned', 'accepted', 'in_progress', 'done', 'cancelled'),
      progress: fc.integer({ min: 0, max: 100 }),
      report: text,
      priority: fc.constantFrom('normal', 'urgent'),
    },
    { requiredKeys: ['title', 'unit', 'issuedAt', 'dueAt', 'status'] },
  ),
}

/** A valid item of `feed` with the given identity and version. */
export function validItem(feed: FeedName, ref: fc.Arbitrary<string>, updatedAt = time) {
  return fc
    .tuple(bodies[feed], ref, updatedAt)
    .map(([body, r, u]) => ({ ...body, source: testFeedSource, ref: r, updatedAt: u }))
}

/** Ways to break one field, each naming the field the server must blame. */
const breakers: Record<FeedName, Array<[string, unknown]>> = {
  tickets: [
    ['category', 'karaoke'],
    ['status', 'lost'],
    ['location.lat', 123],
    ['receivedAt', '2026-11-28 08:00'],
    ['title', ''],
  ],
  dossiers: [
    ['channel', 'pigeon'],
    ['dueAt', 'tomorrow'],
    ['supplementRequests', -1],
  ],
  surveys: [
    ['score', 9],
    ['submittedAt', 12],
  ],
  procedures: [
    ['level', 'some'],
    ['feeBearing', 'yes'],
  ],
  tasks: [
    ['status', 'forgotten'],
    ['progress', 101],
    ['dueAt', 'soon'],
    ['unit', ''],
  ],
}

/** An item with exactly one bad field, and that field's path. */
export function invalidItem(feed: FeedName, ref: fc.Arbitrary<string>) {
  return fc
    .tuple(validItem(feed, ref), fc.constantFrom(...breakers[feed], ['updatedAt', 'yesterday']))
    .map(([item, [field, bad]]) => {
      const copy = structuredClone(item) as Record<string, unknown>
      const [head, tail] = field.split('.')
      if (tail) (copy[head!] as Record<string, unknown>)[tail] = bad
      else copy[head!] = bad
      return { item: copy, field }
    })
}

export { feedNames }
export const feedTables: Record<FeedName, string> = {
  tickets: 'tickets',
  dossiers: 'dossiers',
  surveys: 'survey_answers',
  procedures: 'procedures',
  tasks: 'tasks',
}
