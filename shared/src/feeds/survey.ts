import { z } from 'zod'
import { feedItemBase, isoDateTime } from './common'

/** A citizen's rating of how a ticket or a dossier was handled (docs/design.md §2). */
export const surveySchema = feedItemBase.extend({
  submittedAt: isoDateTime,
  score: z.number().int().min(1).max(5),
  subject: z
    .object({
      kind: z.enum(['ticket', 'dossier']),
      source: z.string().min(1).max(100),
      ref: z.string().min(1).max(200),
    })
    .optional(),
  unit: z.string().max(64).optional(),
  wardCode: z.string().max(16).optional(),
  comment: z.string().max(5_000).optional(),
})
export type SurveyAnswer = z.infer<typeof surveySchema>
