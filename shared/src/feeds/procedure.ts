import { z } from 'zod'
import { feedItemBase } from './common'

/** `full` = trực tuyến toàn trình, `partial` = trực tuyến một phần, `none` = not online. */
export const procedureLevels = ['full', 'partial', 'none'] as const

/** An entry of the administrative procedure catalog (docs/design.md §2). */
export const procedureSchema = feedItemBase.extend({
  code: z.string().trim().min(1).max(64),
  name: z.string().trim().min(1).max(500),
  field: z.string().trim().min(1).max(200),
  level: z.enum(procedureLevels),
  provincialPortal: z.boolean(),
  nationalPortal: z.boolean(),
  feeBearing: z.boolean(),
  unit: z.string().max(64).optional(),
})
export type Procedure = z.infer<typeof procedureSchema>
