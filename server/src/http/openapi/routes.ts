import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { Hono } from 'hono'
import { openApiDocument } from './document'

const require = createRequire(import.meta.url)
const scalarBundle = require.resolve('@scalar/api-reference/browser/standalone.js')

/** Scalar's settings: offline (no web fonts, telemetry or agent), our own document. */
const scalarConfig = {
  url: '/api/v1/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
}

// The page has no inline script (the Content-Security-Policy allows none): Scalar's bundle and
// the call that starts it are both files served here.
const page = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>citydeck API</title>
  </head>
  <body>
    <div id="app"></div>
    <script src="/api/docs/scalar.js"></script>
    <script src="/api/docs/start.js"></script>
  </body>
</html>
`
const start = `Scalar.createApiReference('#app', ${JSON.stringify(scalarConfig)})\n`
const script = { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'public, max-age=86400' }

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
      return c.body(await bundle, 200, script)
    })
    .get('/docs/start.js', (c) => c.body(start, 200, script))
    .get('/docs', (c) => c.html(page))
}
