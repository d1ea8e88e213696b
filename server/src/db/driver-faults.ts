import { logger } from '../observability/logger'

const log = logger.child({ module: 'database' })

/**
 * postgres.js (3.4) asks every new connection for the array types (`fetch_types`) from inside its
 * ready-for-query handler and drops that promise: when the database goes away while a
 * connection is between login and that answer (a kill -9 of the embedded PostgreSQL under
 * load, or while a pool reconnects to one that is still starting), the query's rejection has no
 * handler and Node ends the process. Nobody then starts the embedded PostgreSQL again
 * (issue 14: "did not get PostgreSQL back within 30 s"). The connection itself is retried by
 * the pool as for any lost connection, so that rejection alone is let go, with a log line;
 * every other unhandled rejection still ends the process as before.
 */
const fetchTypesQuery = /from pg_catalog\.pg_type a\s+left join pg_catalog\.pg_type b on b\.oid = a\.typelem/
const connectionLost = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'CONNECT_TIMEOUT',
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
])

export function isDroppedTypeFetch(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false
  const { code, query } = reason as Error & { code?: unknown; query?: unknown }
  return (
    typeof code === 'string' &&
    connectionLost.has(code) &&
    typeof query === 'string' &&
    fetchTypesQuery.test(query)
  )
}

/**
 * The other (postgres.js issues 1208 and 1154): a transaction's function that goes on after its
 * connection closed (its `begin` already rejected, with the 503 that follows) sends its next
 * statement on the dead connection, whose buffered write then runs on a null socket, thrown
 * from a timer. That statement's transaction is already lost and answered for; nothing else
 * depends on that write.
 */
export function isWriteOnClosedConnection(error: unknown): boolean {
  return (
    error instanceof TypeError &&
    /reading 'write'/.test(error.message) &&
    /at (Immediate\.)?nextWrite \(\S*postgres\/src\/connection\.js/.test(error.stack ?? '')
  )
}

let installed = false

/** Lets the process outlive those two driver faults (see above); installed once. */
export function surviveDriverFaults(): void {
  if (installed) return
  installed = true
  process.on('unhandledRejection', (reason) => {
    if (!isDroppedTypeFetch(reason)) throw reason
    log.warn(
      { code: (reason as Error & { code: string }).code },
      'a new connection was lost while it started; the pool retries',
    )
  })
  process.on('uncaughtException', (error) => {
    if (!isWriteOnClosedConnection(error)) {
      // As Node would have: the error on stderr, and the process ends.
      process.stderr.write(`${error.stack ?? error}\n`)
      process.exit(1)
    }
    log.warn('a statement was sent on a connection already lost; its transaction had failed')
  })
}
