import type { LiveScope, OpenAggregates } from '@citydeck/shared'
import type { Queryable } from '../db/connection'
import { addPrefix, emptyPieces } from './pieces'
import { ticketSums } from './rollup.sql'
import type { SlotRow } from './rollup-reads.sql'

/**
 * A live scope's open and overdue tickets at `now`, per ward and in total: the KPI engine's own
 * `tickets.open` and `tickets.overdue` (the state at `now`, docs/design.md §3), summed per ward in
 * one statement from the per-ward rollups and the unfolded rows. So the wall's map counts are the
 * tiles' numbers, and their cost follows the wards and the buckets of history, not the open
 * backlog: a pass over every open ticket took 90–106 ms at 100,000 open, for every snapshot and
 * each second's KPI frame of a city wall. Tickets without a ward count in the total only.
 */
export async function openAggregates(sql: Queryable, scope: LiveScope, now: Date): Promise<OpenAggregates> {
  const atNow = emptyPieces()
  addPrefix(atNow, 0, now)
  const part = ticketSums(sql, atNow, scope, 'ward')
  const rows = await sql<SlotRow[]>`select * from (${part.query}) x`
  const out: OpenAggregates = { total: { open: 0, overdue: 0 }, byWard: {} }
  for (const [ward, slots] of part.parse(rows)) {
    const state = slots.get(0)
    if (!state || state.openDelta === 0) continue
    const counts = { open: state.openDelta, overdue: state.overdueDelta }
    out.total.open += counts.open
    out.total.overdue += counts.overdue
    if (ward !== null) out.byWard[ward] = counts
  }
  return out
}
