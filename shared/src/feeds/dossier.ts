import { z } from 'zod'
import { feedItemBase, isoDateTime } from './common'

export const dossierStatuses = [
  'received',
  'processing',
  'supplement',
  'done',
  'returned',
  'withdrawn',
  'rejected',
] as const
export const dossierChannels = ['online', 'direct', 'postal'] as const

/** An administrative procedure case, hồ sơ TTHC (docs/design.md §2). */
export const dossierSchema = feedItemBase.extend({
  procedureCode: z.string().trim().min(1).max(64),
  channel: z.enum(dossierChannels),
  status: z.enum(dossierStatuses),
  receivedAt: isoDateTime,
  dueAt: isoDateTime,
  finishedAt: isoDateTime.optional(),
  unit: z.string().max(64).optional(),
  wardCode: z.string().max(16).optional(),
  digitizedInput: z.boolean().optional(),
  digitizedResult: z.boolean().optional(),
  paidOnline: z.boolean().optional(),
  supplementRequests: z.number().int().min(0).max(1000).optional(),
})
export type Dossier = z.infer<typeof dossierSchema>
