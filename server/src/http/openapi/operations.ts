import { cityResponseSchema, healthSchema } from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiPathsObject } from 'zod-openapi'
import { errors, guarded, json, optionalCredential } from './responses'

const text = (description: string, type: string) => ({
  description,
  content: { [type]: { schema: z.string() } },
})

const cityExample = {
  profile: {
    id: 'phan-thiet',
    name: 'Thành phố Phan Thiết',
    nameEn: 'Phan Thiet City',
    timeZone: 'Asia/Ho_Chi_Minh',
    center: [108.1, 10.93],
    zoom: 12,
    wards: [{ code: '22930', name: 'Phường Phú Trinh', nameAscii: 'Phu Trinh', type: 'Phường' }],
    units: [
      {
        code: 'ubnd-22930',
        name: 'UBND Phường Phú Trinh',
        nameEn: 'Phu Trinh Ward PC',
        kind: 'ward',
        wardCode: '22930',
      },
    ],
    categories: [{ code: 'waste', name: 'Rác thải', nameEn: 'Waste', slaHours: 24 }],
    defaultSlaHours: 72,
    procedureFields: [{ name: 'Hộ tịch', nameEn: 'Civil status' }],
    directiveHours: 8,
  },
  wards: {
    type: 'FeatureCollection',
    features: [
      {
        type: 'Feature',
        properties: { code: '22930', name: 'Phường Phú Trinh' },
        geometry: {
          type: 'Polygon',
          coordinates: [
            [
              [108.09, 10.92],
              [108.11, 10.92],
              [108.1, 10.94],
              [108.09, 10.92],
            ],
          ],
        },
      },
    ],
  },
  mapStyleUrl: null,
}

export const operationPaths: ZodOpenApiPathsObject = {
  '/api/v1/health': {
    get: {
      tags: ['Operations'],
      operationId: 'getHealth',
      summary: 'Up, degraded or down, within 1 s in every state (docs/design.md §11)',
      description:
        'Anyone gets `status`; an admin (token or session) or the METRICS_TOKEN also gets the process, the database and its migrations. Works without the database.',
      security: optionalCredential,
      responses: {
        '200': json('Up, or degraded (slow database or pending migrations)', healthSchema),
        '503': json('Down: no database', healthSchema, { status: 'down' }),
      },
    },
  },
  '/metrics': {
    get: {
      tags: ['Operations'],
      operationId: 'getMetrics',
      summary: 'Prometheus metrics (docs/design.md §11), for an admin or the METRICS_TOKEN',
      security: [{ bearer: [] }, { session: [] }],
      responses: {
        '200': text('Prometheus text exposition format', 'text/plain'),
        ...errors(guarded('admin, or the METRICS_TOKEN as a bearer token')),
      },
    },
  },
  '/api/v1/city': {
    get: {
      tags: ['City'],
      operationId: 'getCity',
      summary: 'The city profile and ward polygons, so screens draw the city offline',
      security: [],
      responses: { '200': json('The city', cityResponseSchema, cityExample) },
    },
  },
  '/api/v1/openapi.json': {
    get: {
      tags: ['Docs'],
      operationId: 'getOpenApiDocument',
      summary: 'This document',
      security: [],
      responses: { '200': json('OpenAPI 3.1', z.record(z.string(), z.unknown())) },
    },
  },
  '/api/docs': {
    get: {
      tags: ['Docs'],
      operationId: 'getApiReference',
      summary: 'The interactive reference of this document (works offline)',
      security: [],
      responses: { '200': text('The reference page', 'text/html') },
    },
  },
  '/api/docs/scalar.js': {
    get: {
      tags: ['Docs'],
      operationId: 'getApiReferenceScript',
      summary: "The reference page's script, served from this server (no CDN)",
      security: [],
      responses: { '200': text('The script', 'text/javascript') },
    },
  },
  '/api/docs/start.js': {
    get: {
      tags: ['Docs'],
      operationId: 'getApiReferenceStart',
      summary: 'The call that starts the reference page (the page has no inline script)',
      security: [],
      responses: { '200': text('The script', 'text/javascript') },
    },
  },
}
