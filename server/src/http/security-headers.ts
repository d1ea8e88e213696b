import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import type { Config } from '../config'
import { requestIsHttps } from './client-address'

/**
 * The API reference (Scalar, a developer page): its bundle injects `<style>` elements at run
 * time and its own copy of zod probes `new Function`. Only that route gets these two sources;
 * it still runs no inline script.
 */
const scalarPage = (path: string) => path === '/api/docs' || path.startsWith('/api/docs/')

/**
 * Security headers on every response (docs/design.md §5), mounted first: a Content-Security-Policy
 * without inline scripts, nosniff, `Referrer-Policy: no-referrer` (a `?token=` never travels in
 * a Referer), `frame-ancestors` from `FRAME_ANCESTORS` with a matching X-Frame-Options, and HSTS
 * only on requests that came over HTTPS (directly or from a trusted proxy).
 */
export function securityHeaders(
  config: Pick<Config, 'FRAME_ANCESTORS' | 'TRUSTED_PROXIES' | 'MAP_STYLE_URL'>,
): MiddlewareHandler {
  const ancestors = config.FRAME_ANCESTORS.split(/\s+/).filter(Boolean)
  const frameOptions =
    ancestors.length === 1 && ancestors[0] === "'none'"
      ? 'DENY'
      : ancestors.length === 1 && ancestors[0] === "'self'"
        ? 'SAMEORIGIN'
        : false // other origins may embed: frame-ancestors says which, X-Frame-Options cannot
  // An online basemap (MAP_STYLE_URL) names tiles, glyphs and sprites on hosts of its own.
  const remote = config.MAP_STYLE_URL ? ['https:'] : []
  const headers = secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", (c) => (scalarPage(c.req.path) ? "'unsafe-eval'" : '')],
      styleSrc: ["'self'", (c) => (scalarPage(c.req.path) ? "'unsafe-inline'" : '')],
      imgSrc: ["'self'", 'data:', 'blob:', ...remote],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", ...remote],
      workerSrc: ["'self'", 'blob:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ancestors,
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: frameOptions,
    strictTransportSecurity: false,
  })
  return async (c, next) => {
    await headers(c, async () => {
      await next()
      if (requestIsHttps(c, config)) c.res.headers.set('Strict-Transport-Security', 'max-age=15552000')
    })
  }
}
