import { feedNames } from '@citydeck/shared'
import fc from 'fast-check'
import {
  directiveBody,
  itemQuery,
  kpiQuery,
  limit,
  localDay,
  open311File,
  open311Query,
  type Param,
  pick,
  snapshotBody,
  sourceRef,
  text,
  validDate,
} from './inputs'
import { type Caller, fuzzSecrets, type Known } from './target'
import { nastyText, percentEncode } from './values'

/** What a route's inputs take, and who may call it. */
type RouteInput = {
  /** Generators of the path parameters, by name. */
  params?: Record<string, Param>
  /** Generators of the query parameters this route reads (any others are ignored). */
  query?: (k: Known) => Record<string, fc.Arbitrary<string>>
  /** The valid-ish JSON body of a write, mutated by the body property. */
  body?: (k: Known) => fc.Arbitrary<unknown>
  /** Query parameters it needs: a 400 may name one of them though it was not sent. */
  required?: string[]
  /** Who may call it; other callers are fuzzed too (and must get a clean 401/403). */
  callers: Caller[]
}

const everyone: Caller[] = ['admin', 'leader', 'display', 'feed', 'unit', 'metrics', 'none', 'unknown']

/**
 * Every registered route (`fuzz.test.ts` checks this table against the app's own list, so a new
 * route cannot be forgotten), with what its inputs take.
 */
export const routeInputs: Record<string, RouteInput> = {
  'GET /api/v1/health': { callers: everyone },
  'GET /metrics': { callers: ['admin', 'metrics'] },
  'GET /api/v1/city': { callers: everyone },
  'POST /api/v1/session': {
    callers: ['none'],
    body: () => fc.record({ token: fc.constantFrom(...Object.values(fuzzSecrets), 'nope') }),
  },
  'GET /api/v1/session': { callers: ['display', 'leader', 'admin'] },
  'DELETE /api/v1/session': { callers: everyone },
  'POST /api/v1/login': {
    callers: ['none'],
    body: () =>
      fc.record({
        name: fc.constantFrom('admin', 'lanh-dao', 'an'),
        password: fc.constantFrom('x', 'correct horse'),
      }),
  },
  'POST /api/v1/snapshots': { callers: ['leader', 'admin'], body: snapshotBody },
  'GET /api/v1/snapshots': { callers: ['leader', 'admin'] },
  'DELETE /api/v1/snapshots/:id': { callers: ['leader', 'admin'], params: { id: () => nastyText } },
  'GET /api/v1/snapshots/:file': {
    callers: everyone,
    // A known snapshot is asked as data only: a .pdf or .png of it would start Chromium.
    params: {
      file: (k) =>
        fc.oneof(
          pick(k.snapshots),
          pick(k.snapshots).map((id) => `${id}.json`),
          fc.tuple(nastyText, fc.constantFrom('', '.pdf', '.png', '.x')).map(([s, f]) => `${s}${f}`),
        ),
    },
  },
  'GET /api/v1/briefings': { callers: ['leader', 'admin'] },
  // No valid body is drawn: one would start a real briefing (Chromium) in the background. The
  // route still gets every caller and random bodies from the route property.
  'POST /api/v1/briefings': { callers: ['leader', 'admin'] },
  'GET /api/v1/procedures': { callers: ['leader', 'admin', 'unit'] },
  'GET /api/v1/units/scorecard': {
    callers: ['display', 'leader', 'admin'],
    query: () => ({ from: text(validDate), to: text(validDate) }),
  },
  'GET /api/v1/briefings/:file{\\d{4}-\\d{2}-\\d{2}\\.pdf}': {
    callers: ['leader', 'admin'],
    params: {
      file: () =>
        fc
          .tuple(
            fc.integer({ min: 0, max: 9999 }),
            fc.integer({ min: 0, max: 99 }),
            fc.integer({ min: 0, max: 99 }),
          )
          .map(
            ([y, m, d]) =>
              `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}.pdf`,
          ),
    },
  },
  'GET /api/v1/kpis': {
    callers: ['display', 'leader', 'admin'],
    query: (k: Known) => ({ ...kpiQuery(k), include: text(fc.constantFrom('fullOnlineDossiers', 'all')) }),
  },
  'GET /api/v1/kpis/breakdown': {
    callers: ['display', 'leader', 'admin'],
    required: ['by'],
    query: (k) => ({
      ...kpiQuery(k),
      by: text(fc.constantFrom('ward', 'unit', 'category', 'hour', 'day', 'channel')),
    }),
  },
  'GET /api/v1/leader-view': {
    callers: ['display', 'leader', 'admin', 'unit'],
    required: ['view', 'from', 'to'],
    query: (k) => ({
      view: text(fc.constantFrom('city', 'ward', 'tickets', 'dossiers', 'wall')),
      preset: text(fc.constantFrom('today', '7d', 'month', 'custom', 'week')),
      from: text(localDay),
      to: text(localDay),
      ward: text(pick(k.wards)),
      unit: text(pick(k.units)),
      category: text(pick(k.categories)),
      field: text(fc.constantFrom('Hộ tịch', 'Đất đai')),
      q: text(fc.constantFrom('đèn', 'rác', '0912')),
      sort: text(fc.constantFrom('receivedAt', '-receivedAt', 'dueAt')),
      sla: text(fc.constantFrom('overdue', 'soon', 'ontime')),
      status: text(fc.constantFrom('received', 'processing', 'done')),
    }),
  },
  'POST /api/v1/feeds/:feed': {
    callers: ['feed', 'admin'],
    params: { feed: () => text(fc.constantFrom(...feedNames)) },
  },
  'POST /api/v1/tokens': {
    callers: ['admin'],
    body: () =>
      fc.record(
        {
          role: fc.constantFrom('display', 'leader', 'feed:fuzz-b', 'unit:fuzz-u'),
          label: fc.constantFrom('màn hình 1', 'hotline'),
        },
        { requiredKeys: ['role'] },
      ),
  },
  'GET /api/v1/tokens': { callers: ['admin'] },
  'DELETE /api/v1/tokens/:id': {
    callers: ['admin'],
    // Never one of the fuzzer's own tokens (their ids are known), whatever the spelling.
    params: {
      id: (k) =>
        nastyText.map((s) =>
          k.seededTokenIds.includes(Number(s)) || k.seededTokenIds.includes(Number.parseInt(s, 10))
            ? '999999'
            : s,
        ),
    },
  },
  'POST /api/v1/directives': {
    callers: ['leader', 'admin'],
    // A directive names its unit, or a subject whose unit it takes (docs/design.md §9).
    body: (k) => directiveBody(k).filter((d) => d.unit !== undefined || d.subject !== undefined),
  },
  'GET /api/v1/tasks': {
    callers: ['leader', 'admin', 'unit'],
    query: (k) => ({
      unit: text(pick(k.units)),
      ward: text(pick(k.wards)),
      status: text(fc.constantFrom('assigned', 'done')),
      open: text(fc.constantFrom('true', 'false')),
      sla: text(fc.constantFrom('overdue', 'soon', 'ontime')),
      subject: text(pick(k.tickets.map((t) => `ticket:${t.replace('/', ':')}`))),
      sort: text(fc.constantFrom('dueAt', '-issuedAt')),
      limit: text(limit),
      cursor: itemQuery(k).cursor,
    }),
  },
  'GET /api/v1/tasks/:source/:ref': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.tasks),
  },
  'POST /api/v1/tasks/:source/:ref/reports': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.tasks),
    body: () =>
      fc.record(
        {
          status: fc.constantFrom('accepted', 'in_progress'),
          progress: fc.integer({ min: 0, max: 100 }),
          note: fc.constantFrom('Đang xử lý', 'Đã tới hiện trường'),
        },
        { requiredKeys: ['note'] },
      ),
  },
  'POST /api/v1/alerts/:kind/:source/:ref/ack': {
    callers: ['leader', 'admin'],
    params: {
      kind: () => text(fc.constantFrom('ticket_overdue', 'dossier_overdue', 'task_overdue')),
      ...sourceRef((k) => k.tickets),
    },
    body: (k) =>
      fc.record(
        {
          note: fc.constantFrom('Đã nhận', 'Giao phường'),
          directive: directiveBody(k).map(({ subject: _, ...d }) => d),
        },
        { requiredKeys: [] },
      ),
  },
  'GET /api/v1/audit': {
    callers: ['admin'],
    query: () => ({ limit: text(limit), before: text(fc.integer({ min: -1, max: 1e6 }).map(String)) }),
  },
  'GET /api/v1/tickets': { callers: ['leader', 'admin', 'unit'], query: itemQuery },
  'GET /api/v1/tickets/:source/:ref': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.tickets),
  },
  'GET /api/v1/dossiers': { callers: ['leader', 'admin', 'unit'], query: itemQuery },
  'GET /api/v1/dossiers/:source/:ref': {
    callers: ['leader', 'admin', 'unit'],
    params: sourceRef((k) => k.dossiers),
  },
  'GET /open311/v2/services/:file': {
    callers: ['none'],
    params: { file: (k) => open311File(k.categories)() },
  },
  'GET /open311/v2/requests/:file': {
    callers: ['none'],
    params: { file: (k) => open311File(k.tickets.map((t) => t.replace('/', ':')))() },
  },
  'GET /open311/v2/tokens/:file': {
    callers: ['none'],
    params: { file: (k) => open311File(k.tickets.map((t) => t.split('/')[1]!))() },
  },
  'GET /open311/v2/:file': {
    callers: ['none'],
    params: { file: open311File(['services', 'requests', 'servicerequestupdates', 'discovery']) },
    query: open311Query,
  },
  'POST /open311/v2/:file': {
    callers: ['none'],
    params: { file: open311File(['requests', 'servicerequestupdates']) },
  },
  'GET /api/v1/openapi.json': { callers: ['none'] },
  'GET /api/docs/scalar.js': { callers: ['none'] },
  'GET /api/docs/start.js': { callers: ['none'] },
  'GET /api/docs': { callers: ['none'] },
  'GET /assets/*': {
    callers: ['none'],
    params: { '*': () => fc.oneof(fc.constant('index-fuzz.js'), nastyText) },
  },
  'GET /*': {
    callers: ['none'],
    params: {
      '*': () => fc.oneof(fc.constantFrom('index.html', 'leader', 'wall', 'assets/../index.html'), nastyText),
    },
  },
}

/** The path of `pattern` with its parameters filled from `values`, percent-encoded. */
export function fillPath(pattern: string, values: Record<string, string>): string {
  return pattern
    .replace(/:(\w+)(\{(?:[^{}]|\{[^}]*\})*\})?/g, (_, name: string) => percentEncode(values[name] ?? ''))
    .replace(/\*$/, () => percentEncode(values['*'] ?? ''))
}

export const methodOf = (route: string) => route.split(' ')[0]!
export const patternOf = (route: string) => route.slice(route.indexOf(' ') + 1)

export function paramsFor(route: string, k: Known): fc.Arbitrary<Record<string, string>> {
  const params = routeInputs[route]?.params ?? {}
  const entries = Object.entries(params).map(([name, gen]) => [name, gen(k)] as const)
  return fc.record(Object.fromEntries(entries) as Record<string, fc.Arbitrary<string>>)
}

export const callerFor = (route: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...routeInputs[route]!.callers) },
    { weight: 1, arbitrary: fc.constantFrom(...everyone) },
  )
