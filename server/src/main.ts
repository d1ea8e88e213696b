import { ConfigError, loadConfig } from './config'
import { logger } from './observability/logger'
import { startServer } from './server'

/** `npm start`: configuration, database, HTTP + socket.io, demo if asked; clean stop on signals. */
async function main() {
  const config = loadConfig()
  const server = await startServer(config)
  logger.info({ url: server.url, database: server.deps.databaseKind }, 'citydeck is up')
  process.stdout.write(`\n  citydeck: ${server.url}\n`)
  if (server.demo) {
    process.stdout.write(`  wall:     ${server.url}/wall?token=${server.demo.tokens.display}\n`)
    process.stdout.write(`  leader:   ${server.url}/?token=${server.demo.tokens.admin}\n`)
  }
  process.stdout.write('\n')

  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) return
    stopping = true
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
