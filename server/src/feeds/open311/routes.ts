import { Hono } from 'hono'
import type { AppDeps } from '../../context'
import { open311ReadRoutes } from './read-routes'
import { replyError } from './respond'
import { open311WriteRoutes } from './write-routes'

/** Open311 GeoReport v2 under `/open311/v2/` (DESIGN §2), JSON and XML. */
export function open311Routes(deps: AppDeps) {
  return new Hono()
    .route('/', open311ReadRoutes(deps))
    .route('/', open311WriteRoutes(deps))
    .all('*', (c) =>
      replyError(c, c.req.path.endsWith('.xml') ? 'xml' : 'json', 404, `no Open311 resource ${c.req.path}`),
    )
}
