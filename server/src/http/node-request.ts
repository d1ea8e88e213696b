import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'

/**
 * The Node request under a Hono context: @hono/node-server passes it as `c.env.incoming`; under
 * `app.request()` (tests) there is none. The one place `c.env` is read as the Node server's
 * bindings: the apps are not typed `Hono<{ Bindings: HttpBindings }>`, since tests run them
 * without a server and the bindings would then be typed present but absent.
 */
export function nodeRequest(c: Context): HttpBindings['incoming'] | undefined {
  const env: Partial<HttpBindings> | undefined = c.env
  return env?.incoming
}
