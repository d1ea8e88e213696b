import type { Hono } from 'hono'
import { registeredRoutes } from '../fuzz/target'

// Which operations of the OpenAPI document stand for each route the Hono app registers.

/** Routes outside the document: the built client's files, and Open311 (its own document). */
const outside = [/^GET \/assets\/\*$/, /^GET \/\*$/, / \/open311\//]

/** Routes whose one pattern the document splits into several paths (or names differently). */
const documentedAs: Record<string, string[]> = {
  'POST /api/v1/feeds/:feed': ['tickets', 'dossiers', 'surveys', 'procedures', 'tasks'].map(
    (feed) => `POST /api/v1/feeds/${feed}`,
  ),
  'GET /api/v1/snapshots/:file': [
    'GET /api/v1/snapshots/{id}',
    'GET /api/v1/snapshots/{id}.pdf',
    'GET /api/v1/snapshots/{id}.png',
  ],
  'GET /api/v1/briefings/:file{\\d{4}-\\d{2}-\\d{2}\\.pdf}': ['GET /api/v1/briefings/{day}.pdf'],
}

/** `METHOD /path` of each operation the document has, in OpenAPI's `{param}` spelling. */
export function documentedOperations(doc: { paths: Record<string, Record<string, unknown>> }): string[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  )
}

/** The app's routes, each with the operations that document it. */
export function appRoutes(app: Hono): Array<{ route: string; operations: string[] }> {
  return registeredRoutes(app)
    .filter((route) => !outside.some((o) => o.test(route)))
    .map((route) => ({
      route,
      operations: documentedAs[route] ?? [route.replace(/:(\w+)(\{(?:[^{}]|\{[^}]*\})*\})?/g, '{$1}')],
    }))
}
