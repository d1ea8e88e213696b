import { z } from 'zod'

/** One entry of the audit log (docs/design.md §5), as `GET /api/v1/audit` returns it. */
export const auditEntrySchema = z
  .object({
    id: z.number().int(),
    at: z.string(),
    /** Who: a user name, a token label, `cli:<os user>`; null when unknown. */
    actor: z.string().nullable(),
    role: z.string().nullable(),
    tokenId: z.number().int().nullable(),
    /** What: `token.create`, `token.revoke`, `user.add`, `user.disable`, `login`, `snapshot.create`, … */
    action: z.string(),
    /** To what: `token:7`, `user:lan`, `snapshot:<id>`. */
    target: z.string().nullable(),
    detail: z.record(z.string(), z.unknown()),
    /** From where: the client address (after TRUSTED_PROXIES); null from the command line. */
    address: z.string().nullable(),
  })
  .meta({ id: 'AuditEntry' })
export type AuditEntry = z.infer<typeof auditEntrySchema>

/** `GET /api/v1/audit?limit&before`: newest first; `before` is the last page's `nextBefore`. */
export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
})

export const auditPageSchema = z.object({
  items: z.array(auditEntrySchema),
  nextBefore: z.number().int().nullable(),
})
export type AuditPage = z.infer<typeof auditPageSchema>
