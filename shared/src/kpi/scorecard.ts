import { z } from 'zod'

const rate = z.number().min(0).max(1).nullable()
const count = z.number().int()
const windowSchema = z.object({ from: z.string(), to: z.string() })

/** One unit's figures over one window (docs/design.md §10): each equals `GET /api/v1/kpis?unit=<unit>`. */
export const unitFiguresSchema = z.object({
  tickets: z.object({
    received: count,
    resolved: count,
    onTimeRate: rate,
    medianResolveMinutes: z.number().nullable(),
    overdue: count,
  }),
  dossiers: z.object({ finished: count, onTimeRate: rate, overdueOpen: count }),
  tasks: z.object({ issued: count, done: count, onTimeRate: rate, overdue: count }),
  satisfaction: z.object({ responses: count, rate }),
})
export type UnitFigures = z.infer<typeof unitFiguresSchema>

export const unitScoreSchema = unitFiguresSchema.extend({
  unit: z.string(),
  /** The unit's name in the city profile (its code when the profile does not list it). */
  name: z.string(),
  /** The same keys over `previousWindow`. */
  previous: unitFiguresSchema,
  /** 1 = worst, by the rule of rank.ts. */
  rank: z.number().int().min(1),
})
export type UnitScore = z.infer<typeof unitScoreSchema>

/** `GET /api/v1/units/scorecard?from&to`: every unit with items in the window or open work at `to`, worst first. */
export const unitScorecardSchema = z.object({
  window: windowSchema,
  /** The window of equal length just before `window`. */
  previousWindow: windowSchema,
  units: z.array(unitScoreSchema),
})
export type UnitScorecard = z.infer<typeof unitScorecardSchema>
