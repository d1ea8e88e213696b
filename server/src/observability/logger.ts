import pino from 'pino'

/** One pino logger for the process; modules take a child with their name. */
export const logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: undefined,
  timestamp: pino.stdTimeFunctions.isoTime,
})
export type Logger = typeof logger
