import { z } from 'zod'

/** A rate is a fraction 0–1, or null when its denominator is 0 (docs/design.md §3). */
const rate = z.number().min(0).max(1).nullable()

/** Every KPI key of docs/design.md §3 (and the tasks keys of §9) for one window `[from, to)`. */
export const kpiSetSchema = z.object({
  tickets: z.object({
    received: z.number().int(),
    resolved: z.number().int(),
    resolvedOnTime: z.number().int(),
    onTimeRate: rate,
    open: z.number().int(),
    overdue: z.number().int(),
    medianResolveMinutes: z.number().nullable(),
  }),
  dossiers: z.object({
    received: z.number().int(),
    onlineRate: rate,
    finished: z.number().int(),
    onTimeRate: rate,
    progressRate: rate,
    /** Open at `to` (no `finishedAt` before it, not withdrawn/rejected): with `finished`, progressRate's sample. */
    open: z.number().int(),
    overdueOpen: z.number().int(),
    avgProcessingDays: z.number().nullable(),
    digitizedInputRate: rate,
    digitizedResultRate: rate,
    onlinePaymentRate: rate,
  }),
  procedures: z.object({
    total: z.number().int(),
    fullOnline: z.number().int(),
    partialOnline: z.number().int(),
    nationalPortal: z.number().int(),
    onlineShare: rate,
  }),
  satisfaction: z.object({
    responses: z.number().int(),
    rate,
    avgScore: z.number().nullable(),
  }),
  /** docs/design.md §9: tasks (nhiệm vụ) of the window, and open / overdue at `to`. */
  tasks: z.object({
    issued: z.number().int(),
    done: z.number().int(),
    doneOnTime: z.number().int(),
    onTimeRate: rate,
    open: z.number().int(),
    overdue: z.number().int(),
  }),
})
export type KpiSet = z.infer<typeof kpiSetSchema>

/** One QĐ 766-style group score: points earned of the group's maximum, and the rate it came from. */
export const groupScoreSchema = z.object({
  points: z.number().nullable(),
  max: z.number(),
  rate: rate,
  /** The rates a group is scored from, each with its points and full-points threshold. */
  parts: z.array(
    z.object({
      key: z.string(),
      rate: rate,
      points: z.number().nullable(),
      max: z.number(),
      fullAt: z.number(),
    }),
  ),
})
export const score766Schema = z.object({
  progress: groupScoreSchema,
  onlineService: groupScoreSchema,
  digitisation: groupScoreSchema,
  satisfaction: groupScoreSchema,
  publicity: groupScoreSchema.nullable(),
  total: z.number().nullable(),
  max: z.number(),
})
export type Score766 = z.infer<typeof score766Schema>

/**
 * Dossiers received in the window for a procedure the catalog offers fully online (trực tuyến
 * toàn trình), and how many of them were filed online: what moves, where the catalog's own
 * online share is 100 % by definition once every procedure is at least partly online.
 */
export const fullOnlineDossiersSchema = z.object({
  received: z.number().int(),
  online: z.number().int(),
  rate,
})
export type FullOnlineDossiers = z.infer<typeof fullOnlineDossiersSchema>

/** The filters of a KPI query, echoed back (null: not filtered). */
export const kpiFiltersSchema = z.object({
  ward: z.string().nullable(),
  unit: z.string().nullable(),
  category: z.string().nullable(),
})
export type KpiFilters = z.infer<typeof kpiFiltersSchema>

/** `GET /api/v1/kpis`: the window and filters echoed back, the keys, and the QĐ 766 scores. */
export const kpiResponseSchema = kpiSetSchema
  .extend({
    /** Only with `include=fullOnlineDossiers` (read from the raw rows, it grows with the window). */
    fullOnlineDossiers: fullOnlineDossiersSchema.optional(),
    window: z.object({ from: z.string(), to: z.string() }),
    filters: kpiFiltersSchema,
    score766: score766Schema,
  })
  .meta({ id: 'KpiResponse' })
export type KpiResponse = z.infer<typeof kpiResponseSchema>

export const breakdownDimensions = ['ward', 'unit', 'category', 'procedure', 'field', 'day', 'hour'] as const
export type BreakdownDimension = (typeof breakdownDimensions)[number]

/** `GET /api/v1/kpis/breakdown`: the same keys per group. */
export const kpiBreakdownSchema = z
  .object({
    by: z.enum(breakdownDimensions),
    window: z.object({ from: z.string(), to: z.string() }),
    filters: kpiFiltersSchema,
    groups: z.array(z.object({ key: z.string(), label: z.string(), kpis: kpiSetSchema })),
  })
  .meta({ id: 'KpiBreakdown' })
export type KpiBreakdown = z.infer<typeof kpiBreakdownSchema>
