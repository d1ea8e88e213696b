import { ConfigError, loadConfig } from './config'
import { logger } from './observability/logger'
import { type RunningServer, startServer } from './server'

/** `npm start`: configuration, database, HTTP + socket.io, demo if asked; clean stop on signals. */
async function main() {
  const config = loadConfig()
  // Signals are handled from the first moment: a SIGTERM while the server is still starting
  // (PostgreSQL up, demo not yet) must still stop everything cleanly, never orphan PostgreSQL.
  let server: RunningServer | undefined
  let stopSignal: string | null = null
  const stop = async (signal: string) => {
    if (stopSignal) return
    stopSignal = signal
    if (!server) return // still starting: stopped as soon as the start completes
    logger.info({ signal }, 'shutting down')
    try {
      await server.close()
      logger.info('stopped cleanly')
      process.exit(0)
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed')
      process.exit(1)
    }
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))

  server = await startServer(config)
  if (stopSignal) {
    const signal: string = stopSignal
    stopSignal = null
    return stop(signal)
  }
  logger.info({ url: server.url, database: server.deps.databaseKind }, 'citydeck is up')
  process.stdout.write(`\n  citydeck: ${server.url}\n`)
  if (server.demo) {
    process.stdout.write(`  wall:     ${server.url}/wall?token=${server.demo.tokens.display}\n`)
    process.stdout.write(`  leader:   ${server.url}/?token=${server.demo.tokens.admin}\n`)
  }
  process.stdout.write('\n')
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`citydeck: ${error.message}\n`)
  } else {
    process.stderr.write(`citydeck: failed to start: ${(error as Error)?.message ?? error}\n`)
    logger.debug({ err: error }, 'start failure')
  }
  process.exit(1)
})
