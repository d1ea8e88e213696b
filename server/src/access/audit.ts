import { userInfo } from 'node:os'
import type { JSONValue, TransactionSql } from 'postgres'
import type { Sql } from '../db/connection'
import { insertAudit } from './audit.sql'

/** Who acted: a request's principal (structurally), or the command line. */
export type AuditActor = { label: string | null; role: string; tokenId: number | null }

export type AuditInput = {
  principal: AuditActor | null
  /** `token.create`, `token.revoke`, `user.add`, `user.disable`, `login`, `snapshot.create`, … */
  action: string
  /** `token:7`, `user:lan`, `snapshot:<id>`. */
  target?: string | null
  /** Anything worth keeping; never a secret or a password. */
  detail?: { [key: string]: JSONValue | undefined }
  /** The client address (`requestAddress`), null from the command line. */
  address?: string | null
  /** The time of the action, from the caller's clock; default the database's now(). */
  at?: Date
}

/**
 * Appends one entry to the audit log (docs/design.md §5). The table refuses UPDATE and DELETE; pass a
 * transaction to record the entry atomically with the action it describes.
 */
export function audit(sql: Sql | TransactionSql, input: AuditInput): Promise<void> {
  return insertAudit(sql, {
    actor: input.principal?.label ?? null,
    role: input.principal?.role ?? null,
    tokenId: input.principal?.tokenId ?? null,
    action: input.action,
    target: input.target ?? null,
    detail: input.detail ?? {},
    address: input.address ?? null,
    at: input.at ?? null,
  })
}

/** The actor of `npm run tokens` / `npm run user`: the operating-system account that ran it. */
export function cliActor(): AuditActor {
  let name = 'unknown'
  try {
    name = userInfo().username
  } catch {
    // no passwd entry for this uid (some containers)
  }
  return { label: `cli:${name}`, role: 'cli', tokenId: null }
}
