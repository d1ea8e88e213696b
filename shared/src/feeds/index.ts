import type { z } from 'zod'
import type { FeedName } from './common'
import { dossierSchema } from './dossier'
import { procedureSchema } from './procedure'
import { surveySchema } from './survey'
import { taskSchema } from './task'
import { ticketSchema } from './ticket'

export * from './common'
export * from './dossier'
export * from './procedure'
export * from './survey'
export * from './task'
export * from './ticket'

/** The zod schema of each feed's items, keyed by the feed name used in URLs. */
export const feedSchemas = {
  tickets: ticketSchema,
  dossiers: dossierSchema,
  surveys: surveySchema,
  procedures: procedureSchema,
  tasks: taskSchema,
} as const satisfies Record<FeedName, z.ZodType>

/** Limits of one ingest request (docs/design.md §2). */
export const ingestLimits = { maxItems: 10_000 } as const
