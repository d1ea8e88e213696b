import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Scalar } from '@scalar/hono-api-reference'
import { Hono } from 'hono'
import { openApiDocument } from './openapi'

const require = createRequire(import.meta.url)
const scalarBundle = require.resolve('@scalar/api-reference/browser/standalone.js')

/**
 * `/api/v1/openapi.json` and the interactive reference at `/api/docs`. The reference works
 * offline: its script is served from node_modules, not a CDN, and its web fonts are off.
 */
export function docsRoutes() {
  let bundle: Promise<string> | undefined
  return new Hono()
    .get('/v1/openapi.json', (c) => c.json(openApiDocument()))
    .get('/docs/scalar.js', async (c) => {
      bundle ??= readFile(scalarBundle, 'utf8')
      return c.body(await bundle, 200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=86400',
      })
    })
    .get(
      '/docs',
      Scalar({
        url: '/api/v1/openapi.json',
        cdn: '/api/docs/scalar.js',
        pageTitle: 'citydeck API',
        withDefaultFonts: false,
        telemetry: false,
        agent: { disabled: true },
        showDeveloperTools: 'never',
      }),
    )
}
