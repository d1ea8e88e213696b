import { type Change, type LiveScope, recentHorizonMs, type Snapshot } from '@citydeck/shared'
import { maskContacts, redactChange, redactItem } from '@citydeck/shared/redact'
import { currentAlerts } from '../alerts/alerts.sql'
import { newestSeq, recentChanges, toChange } from '../changelog/changelog.sql'
import type { AppDeps } from '../context'
import { todayKpis } from '../kpi/live-kpis'
import { openAggregates } from '../kpi/open-counts'
import { procedureCatalog } from '../procedures/catalog.sql'
import { latestComments, openTickets } from './snapshot.sql'

// A snapshot's "recent": the ticker's news (a wall keeps 40), looked for among the last 5,000
// changes of the log; and the latest comments (it keeps 20), newest first from the store.
const recentBounds = { news: 50, scan: 5000 }
const commentsBound = 20

/**
 * A recent change as a snapshot carries it: a ticket without its description and media, as in
 * `openTickets` (snapshot.sql.ts), so fifty news items cannot make a snapshot heavy.
 */
function listed(change: Change): Change {
  if (change.feed !== 'tickets') return change
  const { description: _d, media: _m, ...item } = change.item
  return { ...change, item }
}

/**
 * The state of a scope at one change-log seq: read in one repeatable-read transaction whose
 * first statement fixes `seq`, so every change after it is one the client has not seen.
 */
export async function buildSnapshot(
  deps: Pick<AppDeps, 'sql' | 'config' | 'city' | 'clock'> & AppDeps,
  scope: LiveScope,
  personal: boolean,
): Promise<Snapshot> {
  const state = await deps.sql.begin('isolation level repeatable read read only', async (tx) => {
    const seq = await newestSeq(tx)
    // A unit's inbox (scope.unit) carries its open tickets; its tasks are read from the API.
    const byUnit = scope.unit !== undefined
    const [tickets, open, alerts, recent, comments, procedures] = await Promise.all([
      openTickets(tx, scope),
      openAggregates(tx, scope, deps.clock()),
      byUnit ? [] : currentAlerts(tx, scope),
      byUnit
        ? []
        : recentChanges(tx, scope.ward, {
            upto: seq,
            since: new Date(deps.clock().getTime() - recentHorizonMs),
            ...recentBounds,
          }),
      byUnit ? [] : latestComments(tx, scope, commentsBound),
      byUnit ? [] : procedureCatalog(tx),
    ])
    return { seq, tickets, open, alerts, recent, comments, procedures }
  })
  const kpis = await todayKpis(deps, scope)
  const changes = state.recent.map((row) => listed(toChange(row)))
  return {
    seq: state.seq,
    scope,
    kpis,
    openTickets: personal ? state.tickets : state.tickets.map(redactItem),
    open: state.open,
    alerts: state.alerts,
    recent: personal ? changes : changes.map(redactChange),
    comments: personal ? state.comments : state.comments.map((c) => ({ ...c, text: maskContacts(c.text) })),
    procedureNames: Object.fromEntries(state.procedures.map((p) => [p.code, p.name])),
  }
}
