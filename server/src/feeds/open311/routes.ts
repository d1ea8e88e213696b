import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { AppDeps } from '../../context'
import { logger } from '../../observability/logger'
import { jurisdictionProblem, open311Params } from './params'
import { open311ReadRoutes } from './read-routes'
import { replyError } from './respond'
import { open311WriteRoutes } from './write-routes'

const log = logger.child({ module: 'open311' })

/** Open311 GeoReport v2 under `/open311/v2/` (docs/design.md §2), JSON and XML. */
export function open311Routes(deps: AppDeps) {
  const format = (path: string) => (/\.xml$/i.test(path) ? 'xml' : 'json')
  return (
    new Hono()
      // The public reads may be fetched by any web page (a city's map, a validator); writes may not.
      .use('*', async (c, next) => {
        await next()
        if (c.req.method === 'GET' || c.req.method === 'HEAD') c.header('access-control-allow-origin', '*')
      })
      // One city per server: a request for another jurisdiction is refused, never answered as ours.
      .use('*', async (c, next) => {
        const problem = jurisdictionProblem(await open311Params(c), deps.city.profile)
        if (problem) return replyError(c, format(c.req.path), 400, problem)
        await next()
      })
      .route('/', open311ReadRoutes(deps))
      .route('/', open311WriteRoutes(deps))
      .all('*', (c) => replyError(c, format(c.req.path), 404, `no Open311 resource ${c.req.path}`))
      // Every error here, a 500 included, in GeoReport's format: clients parse nothing else.
      .onError((error, c) => {
        const status = (error instanceof HTTPException ? error.status : 500) as ContentfulStatusCode
        if (status >= 500) log.error({ err: error, path: c.req.path }, 'Open311 request failed')
        const description =
          status >= 500
            ? 'Lỗi máy chủ / internal server error; the server log has the details'
            : (error as Error).message
        return replyError(c, format(c.req.path), status, description)
      })
  )
}
