import { leaderViewDataSchema, leaderViewQuerySchema } from '@citydeck/shared'
import type { ZodOpenApiPathsObject } from 'zod-openapi'
import { breakdownExample, kpiResponseExample, ticketExample, windowExample } from './examples'
import { anyCredential, errors, guarded, json } from './responses'

const previousWindow = { from: '2026-11-26T17:00:00.000Z', to: '2026-11-27T17:00:00.000Z' }
const viewExample = {
  window: windowExample,
  previousWindow,
  kpis: kpiResponseExample,
  previousKpis: { ...kpiResponseExample, window: previousWindow },
  cityKpis: kpiResponseExample,
  breakdowns: { ward: breakdownExample, category: null, unit: null, day: null, field: null },
  tickets: { items: [ticketExample], nextCursor: null },
  dossiers: null,
  overdueTasks: { items: [] },
  mapTickets: { items: [ticketExample], nextCursor: null },
}

export const leaderViewPaths: ZodOpenApiPathsObject = {
  '/api/v1/leader-view': {
    get: {
      tags: ['KPIs'],
      operationId: 'getLeaderView',
      summary: 'Everything a leader screen shows, in one answer (the view a snapshot freezes)',
      description:
        "The screen (`view`) and the filters of its URL: `from`/`to` are city-local days, `to` inclusive. The KPIs of the window and of the period before it, the city's for comparison, the breakdowns, the list page, the overdue tasks and (city and ward screens) the map's most urgent open tickets. Each part is read as its own API answers the caller: a part the caller's role may not read (a display: the lists and tasks; a unit: the KPIs, and the items and tasks of other units), or whose API refuses the filters, is `null`.",
      security: anyCredential,
      requestParams: { query: leaderViewQuerySchema },
      responses: {
        '200': json('The view', leaderViewDataSchema, viewExample),
        ...errors({
          '400': {
            description:
              'A bad query parameter (view, from, to, preset, sort, sla or a too-long filter); `field` names it',
            code: 'invalid_query',
            field: 'view',
          },
          ...guarded('display, leader, admin and unit accounts'),
        }),
      },
    },
  },
}
