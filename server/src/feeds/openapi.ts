import {
  apiErrorSchema,
  briefingRequestSchema,
  briefingStartedSchema,
  createdTokenSchema,
  createTokenSchema,
  dossierDetailSchema,
  dossierPageSchema,
  type FeedName,
  feedNames,
  feedSchemas,
  ingestResponseSchema,
  itemListQuerySchema,
  kpiResponseSchema,
  MIN_SAMPLE,
  procedureCatalogSchema,
  ticketDetailSchema,
  ticketPageSchema,
  tokenInfoSchema,
  unitScorecardSchema,
} from '@citydeck/shared'
import { z } from 'zod'
import { createDocument } from 'zod-openapi'
import { requestLimits } from './batch'

// The OpenAPI 3.1 document, generated from the shared zod schemas the server validates with,
// so the reference cannot drift from the code. Served at /api/v1/openapi.json.

const at = '2026-11-28T08:00:00+07:00'
const examples: Record<FeedName, Record<string, unknown>> = {
  tasks: {
    source: 'theodoi-nhiemvu',
    ref: 'NV-2026-0042',
    updatedAt: at,
    title: 'Xử lý dứt điểm điểm tập kết rác tự phát đường Trần Hưng Đạo',
    unit: 'ubnd-phu-trinh',
    issuedBy: 'Chủ tịch UBND thành phố',
    issuedAt: at,
    dueAt: '2026-11-28T16:00:00+07:00',
    status: 'assigned',
    priority: 'urgent',
    subject: { kind: 'ticket', source: 'phanthiet-1022', ref: 'PA-2026-000123' },
  },
  tickets: {
    source: 'phanthiet-1022',
    ref: 'PA-2026-000123',
    updatedAt: at,
    category: 'waste',
    title: 'Rác tồn đọng trước chợ Phan Thiết',
    location: { lat: 10.932, lng: 108.1 },
    address: 'Trần Hưng Đạo, Phú Trinh',
    status: 'received',
    receivedAt: at,
    channel: 'hotline',
    reporter: { name: 'Nguyễn Văn A', phone: '0909000000' },
  },
  dossiers: {
    source: 'dvc-binhthuan',
    ref: 'H10.29-261128-0001',
    updatedAt: at,
    procedureCode: '1.001612',
    channel: 'online',
    status: 'received',
    receivedAt: at,
    dueAt: '2026-12-03T17:00:00+07:00',
    digitizedInput: true,
  },
  surveys: {
    source: 'phanthiet-1022',
    ref: 'KS-889',
    updatedAt: at,
    submittedAt: at,
    score: 5,
    subject: { kind: 'ticket', source: 'phanthiet-1022', ref: 'PA-2026-000123' },
  },
  procedures: {
    source: 'csdl-tthc',
    ref: '1.001612',
    updatedAt: at,
    code: '1.001612',
    name: 'Đăng ký khai sinh',
    field: 'Hộ tịch',
    level: 'full',
    provincialPortal: true,
    nationalPortal: true,
    feeBearing: false,
  },
}

const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: apiErrorSchema } },
})
const ingestErrors = {
  '400': error('A malformed body (not JSON, a cut-short array), or a single object that is not an object'),
  '401': error('Missing, unknown or revoked token'),
  '403': error('The key may not ingest, or an item is of another source than the key’s (nothing is stored)'),
  '408': error('The body stopped arriving before it ended (nothing is stored; the connection is closed)'),
  '413': error(
    `More than ${requestLimits.maxItems} items, or a body over ${requestLimits.maxBytes} bytes (nothing is stored)`,
  ),
  '415': error('Content-Type is neither application/json nor application/x-ndjson'),
  '422': error('A single object with an invalid field; `field` names it'),
  '429': error('Too many ingest requests with this token; see Retry-After'),
}

function feedPath(feed: FeedName) {
  const item = feedSchemas[feed].meta({ id: `${feed}-item`, example: examples[feed] })
  return {
    post: {
      tags: ['Feeds'],
      summary: `Ingest ${feed}`,
      description:
        'One object, a JSON array or NDJSON, up to 10,000 items. Upsert by (source, ref): a repeat updates, an older `updatedAt` is ignored. The good items of a batch are stored; bad ones are listed in `rejected`.',
      requestBody: {
        content: {
          'application/json': {
            schema: z.union([item, z.array(item).max(requestLimits.maxItems)]),
            example: examples[feed],
          },
          'application/x-ndjson': {
            schema: z.string().meta({ description: 'One JSON object per line' }),
            example: `${JSON.stringify(examples[feed])}\n`,
          },
        },
      },
      responses: {
        '200': {
          description: 'A batch, or a single object updated or ignored',
          content: { 'application/json': { schema: ingestResponseSchema } },
        },
        '201': {
          description: 'A single object, created',
          content: { 'application/json': { schema: ingestResponseSchema } },
        },
        ...ingestErrors,
      },
    },
  }
}

const readErrors = {
  '400': error('A bad query parameter; `field` names it'),
  '401': error('No valid token'),
  '403': error('Lists are for leader and admin'),
}
const itemParams = z.object({ source: z.string(), ref: z.string() })

function listPath(kind: 'tickets' | 'dossiers') {
  const page = kind === 'tickets' ? ticketPageSchema : dossierPageSchema
  const detail = kind === 'tickets' ? ticketDetailSchema : dossierDetailSchema
  return {
    [`/api/v1/${kind}`]: {
      get: {
        tags: ['Items'],
        summary: `List ${kind}`,
        description:
          'Filtered, newest first, paged by an opaque cursor (`nextCursor`). `reporter` only for leader and admin.',
        requestParams: { query: itemListQuerySchema },
        responses: {
          '200': { description: 'One page', content: { 'application/json': { schema: page } } },
          ...readErrors,
        },
      },
    },
    [`/api/v1/${kind}/{source}/{ref}`]: {
      get: {
        tags: ['Items'],
        summary: `One ${kind.slice(0, -1)} with its history and survey answers`,
        requestParams: { path: itemParams },
        responses: {
          '200': {
            description: 'The item and its timeline',
            content: { 'application/json': { schema: detail } },
          },
          '404': error('No such item'),
          ...readErrors,
        },
      },
    },
  }
}

const kpiWindowQuery = z.object({
  from: z
    .string()
    .optional()
    .meta({ description: 'Window start, ISO 8601 with offset (default: local midnight)' }),
  to: z
    .string()
    .optional()
    .meta({ description: 'Window end, exclusive (default: now, or from + 1 local day)' }),
  ward: z.string().optional().meta({ description: 'Ward code: filters every feed' }),
  unit: z.string().optional().meta({ description: 'Unit code: filters every feed' }),
  category: z.string().optional().meta({ description: 'Category code: filters tickets' }),
})
const kpiErrors = {
  '400': error('A bad from, to, ward, unit or category; `field` names it'),
  '401': error('No valid token'),
  '403': error('KPIs are for display, leader and admin'),
  '503': error('The database is unavailable (database_unavailable); see Retry-After'),
}

let cached: ReturnType<typeof createDocument> | undefined

export function openApiDocument() {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'citydeck API',
      version: '1',
      description:
        'Feeds in (tickets, dossiers, surveys, procedures), items out. Authenticate with `Authorization: Bearer <token>`.',
    },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths: {
      ...Object.fromEntries(feedNames.map((feed) => [`/api/v1/feeds/${feed}`, feedPath(feed)])),
      '/api/v1/units/scorecard': {
        get: {
          tags: ['KPIs'],
          summary: 'Every unit, worst first, over a window and the one before (docs/design.md §10)',
          description: `Units with an item in [from, to) or open work at \`to\`. Each figure equals GET /api/v1/kpis?unit=<unit> for the same window; \`previous\` is the window of equal length just before. \`rank\` (1 = worst): more open overdue work (tickets overdue + dossiers overdueOpen + tasks overdue) first, then the lowest on-time rate among those with a sample of at least ${MIN_SAMPLE}, then by name. A rate under ${MIN_SAMPLE} items should be shown as its count (e.g. 3/3).`,
          requestParams: { query: kpiWindowQuery.pick({ from: true, to: true }) },
          responses: {
            '200': {
              description: 'The scorecard',
              content: { 'application/json': { schema: unitScorecardSchema } },
            },
            ...kpiErrors,
            '400': error('A bad from or to; `field` names it'),
          },
        },
      },
      ...listPath('tickets'),
      ...listPath('dossiers'),
      '/api/v1/briefings': {
        post: {
          tags: ['Briefings'],
          summary: "Make a day's briefing now (leader, admin): the same code as BRIEFING_SCHEDULE",
          description:
            'Claims the day (default: today, city time), answers 202 and makes the snapshot and PDF in the background; GET /api/v1/briefings shows the day as `running` with its `step` (claim, snapshot, render, write), then `done` with `pdfUrl` or `failed` with `error`. A finished or failed day is made again.',
          requestBody: { content: { 'application/json': { schema: briefingRequestSchema } } },
          responses: {
            '202': {
              description: 'Started',
              content: { 'application/json': { schema: briefingStartedSchema } },
            },
            '400': error('The body is not a JSON object'),
            '401': error('No valid token'),
            '403': error('For leader and admin'),
            '409': error("That day's briefing is being made now"),
            '422': error('A bad date (not YYYY-MM-DD, or after today); `field` is date'),
            '503': error('No Chromium to print the PDF (chromium_missing), or the database is unavailable'),
          },
        },
      },
      '/api/v1/procedures': {
        get: {
          tags: ['Items'],
          summary: 'The procedure catalog by code (name, field, level), from the procedures feed',
          responses: {
            '200': {
              description: 'One entry per code',
              content: { 'application/json': { schema: procedureCatalogSchema } },
            },
            '401': error('No valid token'),
            '403': error('For leader, admin and unit accounts'),
            '503': error('The database is unavailable (database_unavailable); see Retry-After'),
          },
        },
      },
      '/api/v1/kpis': {
        get: {
          tags: ['KPIs'],
          summary: 'KPI keys over a window [from, to) (docs/design.md §3, tasks §9)',
          description:
            'Window keys count events in [from, to); open/overdue keys are the state at `to`. Rates are 0–1, null when their denominator is 0.',
          requestParams: { query: kpiWindowQuery },
          responses: {
            '200': {
              description: 'The keys',
              content: { 'application/json': { schema: kpiResponseSchema } },
            },
            ...kpiErrors,
          },
        },
      },
      '/api/v1/tokens': {
        get: {
          tags: ['Tokens'],
          summary: 'List tokens (admin)',
          responses: {
            '200': {
              description: 'Every token, never a secret',
              content: { 'application/json': { schema: z.object({ items: z.array(tokenInfoSchema) }) } },
            },
          },
        },
        post: {
          tags: ['Tokens'],
          summary: 'Create a token (admin); its secret is shown once',
          requestBody: { content: { 'application/json': { schema: createTokenSchema } } },
          responses: {
            '201': {
              description: 'Created',
              content: { 'application/json': { schema: createdTokenSchema } },
            },
            '422': error('Bad role or label'),
          },
        },
      },
      '/api/v1/tokens/{id}': {
        delete: {
          tags: ['Tokens'],
          summary: 'Revoke a token and its sessions (admin)',
          requestParams: { path: z.object({ id: z.string() }) },
          responses: { '204': { description: 'Revoked' }, '404': error('No live token with that id') },
        },
      },
    },
  })
  return cached
}
