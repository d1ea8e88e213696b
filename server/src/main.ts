import { ConfigError, loadConfig } from './config'
import { surviveDriverFaults } from './db/driver-faults'
import { logger, prettyLogs } from './observability/logger'
import { type RunningServer, startServer } from './server'

/** `npm start`: configuration, database, HTTP + socket.io, demo if asked; clean stop on signals. */
async function main() {
  // Before any pool exists: the database may go away while one of its connections starts.
  surviveDriverFaults()
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
    // Whatever happens, exit within the grace and 5 s more (docs/design.md §11); embedded PostgreSQL's
    // exit hook stops it even then.
    setTimeout(
      () => {
        logger.error('shutdown took too long: exiting')
        process.exit(1)
      },
      (config.SHUTDOWN_GRACE_SECONDS + 5) * 1000,
    ).unref()
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
  // A collector gets the start as a log line; a person reads the block below instead.
  if (!prettyLogs)
    logger.info({ url: server.url, database: server.deps.databaseKind, pid: process.pid }, 'citydeck is up')
  process.stdout.write(readyBlock(server, config))
}

/** The one block a person reads at the end of the start: where to go, what runs, where data lives. */
function readyBlock(server: RunningServer, config: ReturnType<typeof loadConfig>): string {
  const lines = ['citydeck is ready · sẵn sàng', '']
  lines.push(`  citydeck:          ${server.url}`)
  if (server.demo) {
    lines.push(`  wall · màn hình:   ${server.url}/wall?token=${server.demo.tokens.display}`)
    lines.push(`  leader · lãnh đạo: ${server.url}/?token=${server.demo.tokens.admin}`)
  }
  lines.push('')
  lines.push(
    server.deps.databaseKind === 'embedded'
      ? `  data: embedded PostgreSQL in ${config.DATA_DIR}/pg`
      : '  data: the PostgreSQL of DATABASE_URL',
  )
  if (server.demo) {
    lines.push('  demo city: Phan Thiết (DEMO=0 for an empty city that waits for real feeds)')
    // The screens answer already; a first start's year of history keeps arriving behind them.
    if (server.demo.historyDays >= 1)
      lines.push(
        `  demo history: ${Math.round(server.demo.historyDays)} days loading in the background · đang nạp lịch sử, màn hình cập nhật dần`,
      )
  }
  lines.push(`  stop · dừng: Ctrl-C, or kill ${process.pid}`)
  return `\n${lines.join('\n')}\n\n`
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
