import {
  dossierDetailSchema,
  dossierPageSchema,
  itemListQuerySchema,
  procedureCatalogSchema,
  ticketDetailSchema,
  ticketPageSchema,
} from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiPathsObject } from 'zod-openapi'
import { at, feedExamples, ticketExample } from './examples'
import { anyCredential, errors, guarded, json } from './responses'

const readers = 'leader, admin and unit accounts (a unit: its own items only)'
const itemParams = z.object({
  source: z.string().meta({ example: 'phanthiet-1022' }),
  ref: z.string().meta({ example: 'PA-2026-000123' }),
})
const dossierExample = { ...feedExamples.dossiers, unit: 'ubnd-22930', wardCode: '22930' }
const versionExample = {
  seq: 812,
  changedAt: at,
  op: 'created',
  updatedAt: at,
  status: 'received',
  unit: 'ubnd-22930',
}

function listPaths(kind: 'tickets' | 'dossiers'): ZodOpenApiPathsObject {
  const one = kind === 'tickets' ? 'Ticket' : 'Dossier'
  const page = kind === 'tickets' ? ticketPageSchema : dossierPageSchema
  const detail = kind === 'tickets' ? ticketDetailSchema : dossierDetailSchema
  const example = kind === 'tickets' ? ticketExample : dossierExample
  const auth = guarded(readers)
  return {
    [`/api/v1/${kind}`]: {
      get: {
        tags: ['Items'],
        operationId: `list${one}s`,
        summary: `List ${kind}`,
        description:
          "Filtered, newest first, paged by an opaque cursor (`nextCursor`). `reporter` only for leader, admin and the item's unit. An unknown ward is a 400 naming `ward`, as on KPIs.",
        security: anyCredential,
        requestParams: { query: itemListQuerySchema },
        responses: {
          '200': json('One page', page, { items: [example], nextCursor: null }),
          ...errors({
            '400': {
              description:
                'A bad query parameter (an unknown ward, a cursor of another list); `field` names it',
              code: 'invalid_query',
              field: 'ward',
            },
            ...auth,
            '403': {
              ...auth['403']!,
              description: `${auth['403']!.description}; a unit asking for another unit's (field unit)`,
            },
          }),
        },
      },
    },
    [`/api/v1/${kind}/{source}/{ref}`]: {
      get: {
        tags: ['Items'],
        operationId: `get${one}`,
        summary: `One ${kind.slice(0, -1)} with its history and survey answers`,
        security: anyCredential,
        requestParams: { path: itemParams },
        responses: {
          '200': json('The item and its timeline', detail, {
            item: example,
            history: [versionExample],
            surveys: [],
          }),
          ...errors({
            ...auth,
            '403': { ...auth['403']!, description: `${auth['403']!.description}; another unit's item` },
            '404': { description: `No ${kind.slice(0, -1)} with that source and ref`, code: 'not_found' },
          }),
        },
      },
    },
  }
}

export const itemPaths: ZodOpenApiPathsObject = {
  ...listPaths('tickets'),
  ...listPaths('dossiers'),
  '/api/v1/procedures': {
    get: {
      tags: ['Items'],
      operationId: 'listProcedures',
      summary: 'The procedure catalog by code (name, field, level), from the procedures feed',
      security: anyCredential,
      responses: {
        '200': json('One entry per code', procedureCatalogSchema, {
          items: [{ code: '1.001612', name: 'Đăng ký khai sinh', field: 'Hộ tịch', level: 'full' }],
        }),
        ...errors(guarded('leader, admin and unit accounts')),
      },
    },
  },
}
