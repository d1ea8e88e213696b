import fc from 'fast-check'
import { fuzzSource, type Known } from './target'
import { nastyText } from './values'

// What the routes' path parameters, queries and bodies take: valid values of the fuzz city
// (its wards, units, tickets) mixed with hostile ones.

export const text = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: nastyText })
export const validDate = fc
  .date({ min: new Date('2026-10-01T00:00:00Z'), max: new Date('2026-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) =>
    d
      .toISOString()
      .replace('Z', '+07:00')
      .replace(/\.\d{3}/, ''),
  )
/** A leader view's city-local day, a nonexistent one now and then. */
export const localDay = fc.oneof(
  validDate.map((d) => d.slice(0, 10)),
  fc.constantFrom('2026-02-30', '1900-01-01', '2999-12-31'),
)
export const w3cDate = fc.oneof(
  validDate,
  validDate.map((d) => d.slice(0, 10)),
)
export const limit = fc.oneof(
  fc.integer({ min: -2, max: 600 }).map(String),
  fc.constantFrom('1', '100', '500'),
)

export type Param = (k: Known) => fc.Arbitrary<string>

export const pick = (values: string[]) => (values.length ? fc.constantFrom(...values) : fc.constant('none'))
export const sourceRef = (list: (k: Known) => string[]): Record<string, Param> => ({
  source: (k) => text(pick([fuzzSource, ...list(k).map((s) => s.split('/')[0]!)])),
  ref: (k) => text(pick(list(k).map((s) => s.split('/').slice(1).join('/')))),
})
export const itemQuery = (k: Known) => ({
  ward: text(pick(k.wards)),
  unit: text(pick(k.units)),
  category: text(pick(k.categories)),
  procedureCode: text(fc.constantFrom('1.001', '2.002')),
  field: text(fc.constantFrom('Hộ tịch', 'Đất đai')),
  status: text(fc.constantFrom('received', 'open', 'done', 'processing')),
  open: text(fc.constantFrom('true', 'false')),
  from: text(validDate),
  to: text(validDate),
  q: text(fc.constantFrom('đèn', 'rác', '0912')),
  sort: text(fc.constantFrom('receivedAt', '-receivedAt')),
  limit: text(limit),
  cursor: text(
    fc.constantFrom(
      'eyJhdCI6IjIwMjYifQ',
      Buffer.from('{"at":"0000-01-01","source":"a","ref":"b"}').toString('base64url'),
      Buffer.from('{"at":"2026-11-28T00:00:00Z","source":"a\\u0000","ref":"\\ud800"}').toString('base64url'),
    ),
  ),
})
export const kpiQuery = (k: Known) => ({
  from: text(validDate),
  to: text(validDate),
  ward: text(pick(k.wards)),
  unit: text(pick(k.units)),
  category: text(pick(k.categories)),
})
const open311Window = () => ({ start_date: text(w3cDate), end_date: text(w3cDate) })
export const open311Query = (k: Known) => ({
  ...open311Window(),
  status: text(fc.constantFrom('open', 'closed', 'open,closed', 'OPEN')),
  service_code: text(pick(k.categories)),
  service_request_id: text(pick(k.tickets.map((t) => t.replace('/', ':')))),
  jurisdiction_id: text(fc.constantFrom('phan-thiet', 'phanthiet')),
  page: text(fc.constantFrom('1', '2', '0', 'x')),
  page_size: text(fc.constantFrom('1', '1000', '1001')),
})
export const open311File = (names: string[]) => () =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc
        .tuple(fc.constantFrom(...names), fc.constantFrom('.json', '.xml', '.JSON', '', '.txt'))
        .map(([n, f]) => n + f),
    },
    { weight: 1, arbitrary: nastyText.map((s) => `${s}.json`) },
    { weight: 1, arbitrary: nastyText },
  )
export const directiveBody = (k: Known) =>
  fc.record(
    {
      subject: fc.oneof(
        ...(['ticket', 'dossier'] as const).map((kind) =>
          fc.record({
            kind: fc.constant(kind),
            source: fc.constant(fuzzSource),
            ref: pick(k[`${kind}s`].map((t) => t.split('/')[1]!)),
          }),
        ),
      ),
      unit: pick(k.units),
      instruction: fc.constantFrom('Xử lý ngay', 'Báo cáo trước 17h'),
      // A deadline is in the future (docs/design.md §9): 1 hour to 60 days from now.
      dueAt: fc
        .integer({ min: 1, max: 60 * 24 })
        .map((h) => new Date(Date.now() + h * 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z')),
      priority: fc.constantFrom('normal', 'urgent'),
    },
    { requiredKeys: ['instruction'] },
  )
export const snapshotBody = (k: Known) =>
  fc.record(
    {
      view: fc.constantFrom('city', 'ward', 'tickets', 'dossiers'),
      filters: fc.record(
        {
          preset: fc.constantFrom('today', '7d', 'custom'),
          from: fc.constantFrom('2026-11-01', '2026-11-20'),
          to: fc.constantFrom('2026-11-28', '2026-11-21'),
          ward: pick(k.wards),
          unit: pick(k.units),
          category: pick(k.categories),
          q: fc.constantFrom('đèn', 'rác'),
          sort: fc.constantFrom('receivedAt', '-receivedAt'),
        },
        { requiredKeys: ['from', 'to'] },
      ),
      title: fc.constantFrom('Giao ban sáng', 'Tuần 48'),
      expiresInDays: fc.integer({ min: 1, max: 30 }),
    },
    { requiredKeys: ['view', 'filters'] },
  )
