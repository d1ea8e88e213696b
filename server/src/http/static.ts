import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

/**
 * Serves the built client; any other GET that is not an API path gets index.html so the
 * client router can take it (SPA fallback). Hashed assets are cached for a year.
 */
export function clientRoutes(distDir: string) {
  const app = new Hono()
  const indexFile = path.join(distDir, 'index.html')
  if (!existsSync(indexFile)) {
    return app.get('*', (c) =>
      c.text('citydeck: the client is not built. Run `npm run build` (npm start does it for you).', 503),
    )
  }
  const indexHtml = readFileSync(indexFile, 'utf8')
  app.use(
    '/assets/*',
    serveStatic({
      root: distDir,
      onFound: (_path, c) => {
        c.header('Cache-Control', 'public, max-age=31536000, immutable')
      },
    }),
  )
  app.use('*', serveStatic({ root: distDir }))
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache')
    return c.html(indexHtml)
  })
  return app
}
