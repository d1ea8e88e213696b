import fc from 'fast-check'
import { apiError, blames, describe, type FuzzRequest, send } from './answers'
import { jsonBodies } from './bodies'
import { callerFor, fillPath, methodOf, paramsFor, patternOf, routeInputs } from './routes'
import { fuzzProperty } from './run'
import type { FuzzTarget } from './target'
import { nastyText, nastyValue } from './values'

// The properties over the route table: every route with anything, every query parameter of
// every GET, and every JSON write with its body mutated.

/** One request to `route` with any method, caller, path parameters, query and body. */
const anyRequest = (t: FuzzTarget, route: string) =>
  fc.record({
    route: fc.constant(route),
    method: fc.oneof(
      { weight: 6, arbitrary: fc.constant(methodOf(route)) },
      { weight: 1, arbitrary: fc.constantFrom('PUT', 'PATCH', 'DELETE', 'POST', 'OPTIONS', 'HEAD') },
    ),
    params: paramsFor(route, t.known),
    caller: callerFor(route),
    query: fc.array(
      fc.tuple(
        fc.oneof(
          fc.constantFrom('token', 'limit', 'from', 'to', 'unit', 'api_key', 'format', 'cursor'),
          nastyText,
        ),
        nastyText,
      ),
      { maxLength: 3 },
    ),
    body: fc.option(jsonBodies(fc.dictionary(fc.string({ maxLength: 8 }), nastyValue, { maxKeys: 4 })), {
      nil: undefined,
    }),
  })

/** Every route, each run: any method, caller, path parameters, query and body; never a 5xx. */
export const anyRoute = fuzzProperty({
  name: 'every route with any caller, parameters and body',
  weight: 1,
  routes: (t) => t.routes,
  cases: (t) => fc.tuple(...t.routes.map((route) => anyRequest(t, route))),
  run: async (t, stats, cases) => {
    for (const c of cases) {
      stats.routesHit.add(c.route)
      await send(t, stats, {
        method: c.method,
        path: fillPath(patternOf(c.route), c.params),
        query: c.query,
        caller: c.caller,
        ...(c.body ? { contentType: c.body.contentType, body: c.body.body } : {}),
      })
    }
  },
})

/** Every query parameter of every GET, valid and hostile values mixed: a 400 names a sent one. */
export const queries = fuzzProperty({
  name: 'query parameters of every GET',
  weight: 8,
  routes: (t) => t.routes.filter((r) => routeInputs[r]?.query),
  cases: (t) =>
    fc.constantFrom(...t.routes.filter((r) => routeInputs[r]?.query)).chain((route) => {
      const defs = routeInputs[route]!.query!(t.known)
      return fc.record({
        route: fc.constant(route),
        params: paramsFor(route, t.known),
        caller: callerFor(route),
        query: fc
          .subarray(Object.keys(defs))
          .chain((names) => fc.tuple(...names.map((n) => defs[n]!.map((v) => [n, v] as [string, string])))),
        repeat: fc.boolean(),
      })
    }),
  run: async (t, stats, c) => {
    stats.routesHit.add(c.route)
    const query: Array<[string, string]> = c.query
    // Repeating a parameter (?unit=a&unit=b) is how a client sends a list by mistake.
    if (c.repeat && query.length) query.push(query[0]!)
    const req: FuzzRequest = {
      method: 'GET',
      path: fillPath(patternOf(c.route), c.params),
      query,
      caller: c.caller,
    }
    const res = await send(t, stats, req)
    blames(stats, req, res, [
      ...query.map(([k]) => k),
      ...Object.keys(c.params),
      ...(routeInputs[c.route]!.required ?? []),
    ])
  },
})

/** Every JSON write, with mutated fields and every body kind: a 400/422 names the field. */
export const writes = fuzzProperty({
  name: 'JSON bodies of every write',
  weight: 6,
  routes: (t) => t.routes.filter((r) => routeInputs[r]?.body),
  cases: (t) =>
    fc.constantFrom(...t.routes.filter((r) => routeInputs[r]?.body)).chain((route) =>
      fc.record({
        route: fc.constant(route),
        params: paramsFor(route, t.known),
        caller: callerFor(route),
        body: jsonBodies(routeInputs[route]!.body!(t.known)),
      }),
    ),
  run: async (t, stats, c) => {
    stats.routesHit.add(c.route)
    const sent = c.body
    const req: FuzzRequest = {
      method: methodOf(c.route),
      path: fillPath(patternOf(c.route), c.params),
      caller: c.caller,
      contentType: sent.contentType,
      body: sent.body,
    }
    const res = await send(t, stats, req)
    if (
      sent.kind !== 'json' ||
      (res.status !== 400 && res.status !== 422) ||
      req.path.startsWith('/open311/')
    )
      return
    const broken = sent.path
    const field = String(apiError(res.json)?.field ?? '')
    if (broken === null) {
      // The generator's valid body, unchanged: refusing it names a field that was fine.
      stats.violation({
        kind: 'nameless',
        detail: `a valid body was refused for ${field}: ${res.text.slice(0, 300)}`,
        request: describe(req),
      })
    } else if (
      broken !== '' &&
      field !== broken &&
      !broken.startsWith(`${field}.`) &&
      !field.startsWith(`${broken}.`) &&
      // A field the body lacks may be named: removing one value can make another required.
      valueAt(sent.sent, field) !== undefined
    ) {
      // One value was broken: the answer names it (or the object holding it, or a part of it).
      stats.violation({
        kind: 'nameless',
        detail: `${broken} was broken but ${field || 'nothing'} is named: ${res.text.slice(0, 300)}`,
        request: describe(req),
      })
    }
  },
})

const valueAt = (root: unknown, dotted: string) =>
  dotted
    .split('.')
    .reduce<unknown>(
      (at, k) =>
        at && typeof at === 'object' && Object.hasOwn(at, k) ? (at as Record<string, unknown>)[k] : undefined,
      root,
    )

// --- Ingest: nothing stored from a rejected item, every good item stored --------------------
