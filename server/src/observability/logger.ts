import pino from 'pino'
import pretty from 'pino-pretty'
import { logSettings } from '../config'

/**
 * Readable lines when a person watches the terminal, JSON for log collectors otherwise
 * (`LOG_FORMAT=json|pretty` overrides; read with the other settings in config.ts). Written
 * synchronously, so the last lines of a shutdown are never lost.
 */
const settings = logSettings()
/** Pretty lines: the ready block of main.ts then says what the "up" log line would. */
export const prettyLogs = settings.format === 'pretty'

/** One pino logger for the process; modules take a child with their name. */
export const logger = pino(
  {
    level: settings.level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
  },
  prettyLogs
    ? pretty({
        sync: true,
        translateTime: 'SYS:HH:MM:ss',
        // One line per event: the context after the message, not a block under it.
        singleLine: true,
        ignore: 'module',
        messageFormat: '{if module}{module}: {end}{msg}',
      })
    : undefined,
)
export type Logger = typeof logger
