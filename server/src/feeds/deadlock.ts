import { logger } from '../observability/logger'

const log = logger.child({ module: 'ingest' })

/** Two writers repeating items in different orders can still deadlock; PostgreSQL picks a loser, which retries. */
export async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (error) {
      if (!isDeadlock(error) || attempt >= attempts) throw error
      log.warn(
        { attempt, code: (error as { code?: string }).code },
        'ingest transaction retried after a deadlock',
      )
    }
  }
}

export const isDeadlock = (error: unknown) => {
  const code = (error as { code?: string } | null)?.code
  return code === '40P01' || code === '40001'
}
