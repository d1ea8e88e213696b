import {
  breakdownDimensions,
  kpiBreakdownSchema,
  kpiResponseSchema,
  MIN_SAMPLE,
  unitScorecardSchema,
} from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiPathsObject } from 'zod-openapi'
import { breakdownExample, kpiResponseExample, scorecardExample } from './examples'
import { anyCredential, errors, guarded, json } from './responses'

const windowQuery = z.object({
  from: z.string().optional().meta({
    description: 'Window start, ISO 8601 with offset (default: local midnight)',
    example: '2026-11-28T00:00:00+07:00',
  }),
  to: z
    .string()
    .optional()
    .meta({ description: 'Window end, exclusive (default: now, or from + 1 local day)' }),
})
const kpiQuery = windowQuery.extend({
  ward: z.string().optional().meta({ description: 'Ward code of the city profile: filters every feed' }),
  unit: z.string().optional().meta({ description: 'Unit code: filters every feed' }),
  category: z.string().optional().meta({ description: 'Category code of the profile: filters tickets' }),
})
const kpiKeysQuery = kpiQuery.extend({
  include: z.enum(['fullOnlineDossiers']).optional().meta({
    description:
      'Adds `fullOnlineDossiers` (dossiers of fully-online procedures received in the window, and how many were filed online). Counted from the raw rows, so it costs more as the window grows.',
  }),
})
const readers = 'display, leader and admin'
const badQuery = (fields: string) => ({
  description: `A bad ${fields}; \`field\` names it`,
  code: 'invalid_parameter',
  field: 'ward',
})

export const kpiPaths: ZodOpenApiPathsObject = {
  '/api/v1/kpis': {
    get: {
      tags: ['KPIs'],
      operationId: 'getKpis',
      summary: 'KPI keys over a window [from, to) (docs/design.md §3, tasks §9)',
      description:
        'Window keys count events in [from, to); open/overdue keys are the state at `to`. Rates are 0–1, null when their denominator is 0. With the QĐ 766 scores.',
      security: anyCredential,
      requestParams: { query: kpiKeysQuery },
      responses: {
        '200': json('The keys', kpiResponseSchema, kpiResponseExample),
        ...errors({
          '400': badQuery('from, to, ward, unit, category (an unknown code) or include'),
          ...guarded(readers),
        }),
      },
    },
  },
  '/api/v1/kpis/breakdown': {
    get: {
      tags: ['KPIs'],
      operationId: 'getKpiBreakdown',
      summary: 'The same keys per ward, unit, category, procedure, field, day or hour',
      security: anyCredential,
      requestParams: {
        query: kpiQuery.extend({ by: z.enum(breakdownDimensions).meta({ description: 'What to group by' }) }),
      },
      responses: {
        '200': json('One group per key', kpiBreakdownSchema, breakdownExample),
        ...errors({
          '400': badQuery('by, from, to, ward, unit or category, or a window too long for by=hour/day'),
          ...guarded(readers),
        }),
      },
    },
  },
  '/api/v1/units/scorecard': {
    get: {
      tags: ['KPIs'],
      operationId: 'getUnitScorecard',
      summary: 'Every unit, worst first, over a window and the one before (docs/design.md §10)',
      description: `Units with an item in [from, to) or open work at \`to\`. Each figure equals GET /api/v1/kpis?unit=<unit> for the same window; \`previous\` is the window of equal length just before. \`rank\` (1 = worst): more open overdue work (tickets overdue + dossiers overdueOpen + tasks overdue) first, then the lowest on-time rate among those with a sample of at least ${MIN_SAMPLE}, then by name. A rate under ${MIN_SAMPLE} items should be shown as its count (e.g. 3/3).`,
      security: anyCredential,
      requestParams: { query: windowQuery },
      responses: {
        '200': json('The scorecard', unitScorecardSchema, scorecardExample),
        ...errors({ '400': { ...badQuery('from or to'), field: 'from' }, ...guarded(readers) }),
      },
    },
  },
}
