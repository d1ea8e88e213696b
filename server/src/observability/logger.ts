import pino from 'pino'
import pretty from 'pino-pretty'

/**
 * Readable lines when a person watches the terminal, JSON for log collectors otherwise
 * (`LOG_FORMAT=json|pretty` overrides). Written synchronously, so the last lines of a shutdown
 * are never lost.
 */
const format = process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json')

/** One pino logger for the process; modules take a child with their name. */
export const logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  format === 'pretty'
    ? pretty({
        sync: true,
        translateTime: 'SYS:HH:MM:ss',
        ignore: 'module',
        messageFormat: '{if module}{module}: {end}{msg}',
      })
    : undefined,
)
export type Logger = typeof logger
