import { z } from 'zod'
import { roleSchema } from './access'
import { isoDateTime, isStorableText, storableText } from './feeds/common'
import { dossierSchema } from './feeds/dossier'
import { surveySchema } from './feeds/survey'
import { ticketSchema } from './feeds/ticket'

/** Every API error: what went wrong and, when one field is to blame, which. */
export const apiErrorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  })
  .meta({ id: 'ApiError' })

/** One bad item of a batch: its 0-based index, its 1-based NDJSON line, the field and why. */
export const ingestIssueSchema = z.object({
  index: z.number().int(),
  line: z.number().int().optional(),
  field: z.string(),
  message: z.string(),
})

/** `POST /api/v1/feeds/:feed` response (docs/design.md §2); `ignored` counts stale or identical repeats. */
export const ingestResponseSchema = z
  .object({
    created: z.number().int(),
    updated: z.number().int(),
    ignored: z.number().int(),
    rejected: z.array(ingestIssueSchema),
    warnings: z.array(ingestIssueSchema),
  })
  .meta({
    id: 'IngestResponse',
    example: {
      created: 2,
      updated: 0,
      ignored: 1,
      rejected: [{ index: 3, line: 4, field: 'category', message: 'category: karaoke is not one of …' }],
      warnings: [],
    },
  })
export type IngestResponse = z.infer<typeof ingestResponseSchema>

/** A ticket as stored and read back: derived fields filled in; `reporter` only for leader/admin. */
export const storedTicketSchema = ticketSchema
  .extend({ dueAt: isoDateTime, wardCode: z.string().nullable() })
  .meta({ id: 'Ticket' })
export const storedDossierSchema = dossierSchema.meta({ id: 'Dossier' })

/** `GET /api/v1/procedures`: the procedure catalog by code, so screens name a dossier's procedure. */
export const procedureCatalogSchema = z
  .object({
    items: z.array(
      z.object({
        code: z.string(),
        name: z.string(),
        field: z.string(),
        level: z.enum(['full', 'partial', 'none']),
        unit: z.string().optional(),
      }),
    ),
  })
  .meta({ id: 'ProcedureCatalog' })
export type ProcedureCatalog = z.infer<typeof procedureCatalogSchema>

/** `POST /api/v1/briefings`: make a day's briefing now (default: today, city time). */
export const briefingRequestSchema = z
  .object({
    date: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'a city-local day, YYYY-MM-DD')
      .optional()
      .meta({ description: 'The city-local day to brief (default: today); not after today' }),
  })
  .meta({ id: 'BriefingRequest' })
export const briefingStartedSchema = z
  .object({
    day: z.string(),
    status: z.literal('running'),
    statusUrl: z
      .string()
      .meta({ description: 'GET it to follow the progress (`step`) until done or failed' }),
  })
  .meta({ id: 'BriefingStarted' })
export type BriefingStarted = z.infer<typeof briefingStartedSchema>

/** `GET /api/v1/briefings`: the schedule and the days briefed so far, newest first. */
export const briefingListSchema = z
  .object({
    schedule: z.string().nullable().meta({ description: 'BRIEFING_SCHEDULE (cron, city time); null: off' }),
    timeZone: z.string(),
    items: z.array(
      z.object({
        day: z.string(),
        snapshotId: z.string().nullable(),
        status: z.enum(['running', 'done', 'failed']),
        /** While running in this process: how far it got. */
        step: z.enum(['claim', 'snapshot', 'render', 'write', 'done', 'skipped']).optional(),
        error: z.string().nullable(),
        startedAt: isoDateTime,
        finishedAt: isoDateTime.nullable(),
        pdfUrl: z.string().nullable(),
        snapshotUrl: z.string().nullable(),
      }),
    ),
  })
  .meta({ id: 'BriefingList' })
export type BriefingList = z.infer<typeof briefingListSchema>

/**
 * `GET /api/v1/health` (docs/design.md §11): the status for anyone; for an admin or the
 * METRICS_TOKEN also the process, the database and its migrations.
 */
export const healthSchema = z
  .object({
    status: z.enum(['up', 'degraded', 'down']),
    process: z
      .object({
        pid: z.number().int(),
        uptimeSeconds: z.number().int(),
        startedAt: isoDateTime,
        memoryMb: z.number().int(),
        node: z.string(),
      })
      .optional(),
    database: z
      .discriminatedUnion('status', [
        z.object({
          status: z.literal('up'),
          latencyMs: z.number(),
          version: z.string(),
          kind: z.enum(['embedded', 'external']),
        }),
        z.object({ status: z.literal('down'), kind: z.enum(['embedded', 'external']), error: z.string() }),
      ])
      .optional(),
    migrations: z.object({ applied: z.array(z.string()), pending: z.array(z.string()) }).optional(),
  })
  .meta({ id: 'Health', example: { status: 'up' } })
export type Health = z.infer<typeof healthSchema>

/** One version of an item from the change log: when it was stored and what it said. */
export const itemVersionSchema = z.object({
  seq: z.number().int(),
  changedAt: isoDateTime,
  op: z.enum(['created', 'updated']),
  updatedAt: isoDateTime,
  status: z.string(),
  unit: z.string().nullable(),
})
export type ItemVersion = z.infer<typeof itemVersionSchema>

/** A page of a list; pass `nextCursor` as `cursor` for the next one (null: no more). */
export function pageSchema<T extends z.ZodType>(item: T, id: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).meta({ id })
}
export const ticketPageSchema = pageSchema(storedTicketSchema, 'TicketPage')
export const dossierPageSchema = pageSchema(storedDossierSchema, 'DossierPage')
export type TicketPage = z.infer<typeof ticketPageSchema>
export type DossierPage = z.infer<typeof dossierPageSchema>

/** One item with its timeline: every stored version, and the survey answers about it. */
export function itemDetailSchema<T extends z.ZodType>(item: T, id: string) {
  return z.object({ item, history: z.array(itemVersionSchema), surveys: z.array(surveySchema) }).meta({ id })
}
export const ticketDetailSchema = itemDetailSchema(storedTicketSchema, 'TicketDetail')
export const dossierDetailSchema = itemDetailSchema(storedDossierSchema, 'DossierDetail')
export type TicketDetail = z.infer<typeof ticketDetailSchema>
export type DossierDetail = z.infer<typeof dossierDetailSchema>

/** Query of `GET /api/v1/tickets` and `/dossiers` (times ISO 8601 with offset, on `receivedAt`). */
/** A query-string value PostgreSQL can compare: no NUL, no lone surrogate. */
const qtext = (max: number) =>
  z.string().max(max).refine(isStorableText, 'must not contain the NUL character or a lone UTF-16 surrogate')

export const itemListQuerySchema = z.object({
  ward: qtext(16).optional(),
  unit: qtext(64).optional(),
  category: qtext(64).optional(),
  procedureCode: qtext(64).optional(),
  /** Dossiers of the catalog's procedures in this field (lĩnh vực). */
  field: qtext(200).optional(),
  status: qtext(32).optional(),
  open: z.enum(['true', 'false']).optional(),
  /** Open items in this SLA state now (shared/src/sla.ts): overdue, due within 1 h, on time. */
  sla: z.enum(['overdue', 'soon', 'ontime']).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  q: qtext(200).optional(),
  /** `dueAt`: soonest deadline first (the most overdue on top). */
  sort: z.enum(['receivedAt', '-receivedAt', 'dueAt']).default('-receivedAt'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: qtext(500).optional(),
})
export type ItemListQuery = z.infer<typeof itemListQuerySchema>

/** An access token as an admin sees it (never its secret). */
export const tokenInfoSchema = z
  .object({
    id: z.number().int(),
    role: roleSchema,
    label: z.string().nullable(),
    seeded: z.boolean(),
    createdAt: isoDateTime,
    lastUsedAt: isoDateTime.nullable(),
    revokedAt: isoDateTime.nullable(),
  })
  .meta({ id: 'TokenInfo' })
export type TokenInfo = z.infer<typeof tokenInfoSchema>

export const createTokenSchema = z
  .object({ role: roleSchema, label: storableText(200).optional() })
  .meta({ id: 'CreateToken', example: { role: 'feed:phanthiet-s', label: 'hotline system' } })

/** The answer to creating a token: the only time its secret is shown. */
export const createdTokenSchema = tokenInfoSchema
  .pick({ id: true, role: true, label: true })
  .extend({ secret: z.string() })
  .meta({ id: 'CreatedToken' })
export type CreatedToken = z.infer<typeof createdTokenSchema>
