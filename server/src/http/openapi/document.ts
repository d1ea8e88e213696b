import { createDocument } from 'zod-openapi'
import { sessionCookie } from '../../access/sessions'
import { accessPaths } from './access'
import { directionPaths } from './direction'
import { feedPaths } from './feeds'
import { itemPaths } from './items'
import { kpiPaths } from './kpis'
import { leaderViewPaths } from './leader-view'
import { operationPaths } from './operations'
import { reportPaths } from './reports'
import { anyCredential } from './responses'

// The OpenAPI 3.1 document of every route the app serves but Open311's (its own GeoReport v2
// format), generated from the shared zod schemas the server validates and answers with, so the
// reference cannot drift from the code. Served at /api/v1/openapi.json; the contract test
// (server/test/openapi/) checks each route's answers against it and that no route is missing.

const tags = [
  {
    name: 'Feeds',
    description: 'Systems push tickets, dossiers, surveys, procedures and tasks (docs/design.md §2)',
  },
  { name: 'Items', description: 'Lists and timelines of tickets and dossiers; the procedure catalog' },
  {
    name: 'KPIs',
    description: 'KPI keys, breakdowns, the unit scorecard and the leader view (docs/design.md §3, §10)',
  },
  {
    name: 'Direction',
    description: 'Directives, tasks and their reports, alert acknowledgements (docs/design.md §9)',
  },
  { name: 'Snapshots', description: 'Frozen leader views behind unguessable links, as data, PDF or PNG' },
  { name: 'Briefings', description: 'The daily briefing PDF, on a schedule or on request' },
  { name: 'Access', description: 'Sessions, login, tokens and the audit log (docs/design.md §5)' },
  { name: 'City', description: 'The city profile and its ward polygons' },
  { name: 'Operations', description: 'Health and metrics for operators (docs/design.md §11)' },
  { name: 'Docs', description: 'This document and its interactive reference' },
]

const description = `The citydeck HTTP API: feeds in, KPIs, items, direction, snapshots and briefings out.

**Credentials.** Send a token as \`Authorization: Bearer <token>\` (tokens come from \`API_TOKENS\` or \`npm run tokens\`; roles: \`feed:<source>\`, \`display\`, \`unit:<code>\`, \`leader\`, \`admin\`), or the \`${sessionCookie}\` cookie that \`POST /api/v1/session\` or \`POST /api/v1/login\` sets. A state-changing request authenticated by the cookie must come from this server's origin or \`ALLOWED_ORIGINS\` (else 403 \`foreign_origin\`).

**Errors.** Every error is \`{"error": {"code", "message", "field"?}}\`; a 400 or 422 names the \`field\` or parameter. A JSON route answers 415 to a body that is not \`application/json\`, 400 \`malformed\` to a body that is not JSON, 422 \`invalid\` to a bad field (sessions, login and snapshots answer 400 \`invalid_body\` there). While the database is away, routes that need it answer 503 \`database_unavailable\` with Retry-After.

**Not here.** Open311 GeoReport v2 (\`/open311/v2/…\`, for FixMyStreet and other Open311 clients) is described by its own discovery document; the live stream is socket.io on \`/live\` (docs/live-protocol.md).`

let cached: ReturnType<typeof createDocument> | undefined

export function openApiDocument() {
  cached ??= createDocument({
    openapi: '3.1.0',
    info: {
      title: 'citydeck API',
      version: '1',
      description,
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      {
        url: '{origin}',
        description: 'The citydeck server (npm start listens on port 3000)',
        variables: { origin: { default: 'http://localhost:3000' } },
      },
    ],
    tags,
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An access token (API_TOKENS, npm run tokens); for /metrics and health details also METRICS_TOKEN',
        },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: sessionCookie,
          description: 'The session cookie of POST /api/v1/session or /api/v1/login (HttpOnly, SameSite=Lax)',
        },
      },
    },
    security: anyCredential,
    paths: {
      ...feedPaths,
      ...itemPaths,
      ...kpiPaths,
      ...leaderViewPaths,
      ...directionPaths,
      ...reportPaths,
      ...accessPaths,
      ...operationPaths,
    },
  })
  return cached
}
