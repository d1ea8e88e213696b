import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { serveStatic } from '@hono/node-server/serve-static'
import { Hono } from 'hono'

/**
 * Serves the built client; any other GET that is not an API path gets index.html so the
 * client router can take it (SPA fallback). Hashed assets are cached for a year. A browser that
 * accepts brotli or gzip gets the copy the build compressed (client/vite.config.ts), with
 * `Vary: Accept-Encoding`; others get the file as built.
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
  // Hashed names: a file's content never changes under its name. (Set here, after the file
  // was served: serveStatic's onFound runs once its response is built, too late for a header.)
  app.use('/assets/*', async (c, next) => {
    await next()
    if (c.res.ok) c.header('Cache-Control', 'public, max-age=31536000, immutable')
  })
  app.use('/assets/*', serveStatic({ root: distDir, precompressed: true }))
  // A chunk of another build (a screen open across a deploy) is a 404, not index.html: the page
  // gets a failed import it can report, and nothing caches HTML under a script's name.
  app.get('/assets/*', (c) => c.text('not found', 404))
  app.use('*', serveStatic({ root: distDir, precompressed: true }))
  app.get('*', (c) => {
    c.header('Cache-Control', 'no-cache')
    return c.html(indexHtml)
  })
  return app
}
