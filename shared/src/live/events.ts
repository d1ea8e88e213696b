import { z } from 'zod'
import { type FeedName, feedName } from '../feeds/common'
import type { Dossier } from '../feeds/dossier'
import type { Procedure } from '../feeds/procedure'
import type { SurveyAnswer } from '../feeds/survey'
import type { Task } from '../feeds/task'
import type { Ticket } from '../feeds/ticket'
import type { KpiSet } from '../kpi/keys'

/**
 * What a client watches: the whole city, one ward, or one responsible unit's items (a unit's
 * inbox, docs/design.md §9; a `unit:<code>` role may watch only its own).
 */
export const liveScopeSchema = z
  .object({ ward: z.string().max(16).optional(), unit: z.string().max(64).optional() })
  .refine((s) => s.ward === undefined || s.unit === undefined, 'a scope is a ward or a unit, not both')
export type LiveScope = z.infer<typeof liveScopeSchema>

/** client → server `subscribe`; `since` is the last `seq` the client saw, to resume without a gap. */
export const subscribeSchema = z.object({
  scope: liveScopeSchema,
  since: z.number().int().nonnegative().optional(),
})
export type SubscribeRequest = z.infer<typeof subscribeSchema>
export type SubscribeAck = { ok: true; seq: number } | { ok: false; error: string }

/** The item each feed carries, as stored and sent out. */
export type FeedItems = {
  tickets: Ticket
  dossiers: Dossier
  surveys: SurveyAnswer
  procedures: Procedure
  tasks: Task
}
export type FeedItem = FeedItems[FeedName]

/** One accepted create/update of one feed's item. */
export type ChangeOf<F extends FeedName> = { seq: number; feed: F; id: string; item: FeedItems[F] }
/** One accepted create/update, exactly once and in `seq` order; `item` is of its `feed`. */
export type Change = { [F in FeedName]: ChangeOf<F> }[FeedName]

/** The SLA breaches that raise an alert (docs/design.md §4, §9). */
export const alertKindSchema = z.enum(['ticket_overdue', 'dossier_overdue', 'task_overdue'])
export type AlertKind = z.infer<typeof alertKindSchema>
export const alertKinds: readonly AlertKind[] = alertKindSchema.options

/**
 * An SLA alert: a ticket or task passed its deadline, or a dossier became overdue (`id` is the
 * item's `<source>:<ref>`). `resolved` withdraws a current alert of that kind (`resolves`) for
 * the item. An alert is owned work (docs/design.md §9): the same alert is sent again when it is
 * acknowledged, escalates, or is given a directive, with those states filled in.
 */
export const alertSchema = z
  .object({
    seq: z.number().int().optional(),
    kind: z.union([alertKindSchema, z.literal('resolved')]),
    id: z.string(),
    at: z.string(),
    wardCode: z.string().nullable(),
    title: z.string().optional(),
    dueAt: z.string().optional(),
    resolves: alertKindSchema.optional(),
    /** Who acknowledged it, and when. */
    acknowledged: z.object({ by: z.string(), at: z.string() }).optional(),
    /** When it escalated: overdue and not acknowledged within ALERT_ESCALATE_MINUTES. */
    escalatedAt: z.string().optional(),
    /** The directive it was given: the task's id, its unit and deadline. */
    directed: z.object({ task: z.string(), unit: z.string(), dueAt: z.string() }).optional(),
  })
  .meta({ id: 'Alert' })
export type Alert = z.infer<typeof alertSchema>

/** Open tickets and, of them, the overdue ones (deadline passed), counted over the whole scope. */
export type OpenCounts = { open: number; overdue: number }

/**
 * Exact open/overdue counts of a scope at the server's now, its total and per ward code: the
 * KPI keys `tickets.open` and `tickets.overdue` (docs/design.md §3), so the map agrees with the tiles.
 */
export type OpenAggregates = { total: OpenCounts; byWard: Record<string, OpenCounts> }

export type Snapshot = {
  seq: number
  scope: LiveScope
  kpis: KpiSet
  /** At most `snapshotTicketCap` (live/namespace.ts), soonest deadline first. */
  openTickets: Ticket[]
  /** Exact counts over every open ticket of the scope, listed or not (OpenAggregates). */
  open: OpenAggregates
  alerts: Alert[]
  recent?: Change[]
  /** The scope's latest commented survey answers, newest first by their own `submittedAt`. */
  comments?: LatestComment[]
  /**
   * The catalog's procedure names by code (public, ~130 entries), so a wall's news names a
   * dossier's procedure, not its code; kept current by `procedures` changes.
   */
  procedureNames?: Record<string, string>
  resync?: true
}

/**
 * A survey answer's comment as the wall lists it ("Ý kiến mới nhất"): `at` is the answer's own
 * time (`submittedAt`), `text` trimmed and cut to `latestCommentChars` (namespace.ts); contacts masked for a wall.
 */
export type LatestComment = { id: string; at: string; score: number; text: string; wardCode: string | null }

/** Today's KPIs and the open counts, recomputed after changes at a bounded rate (live-kpis.ts). */
export type KpiFrame = { seq: number; scope: LiveScope; kpis: KpiSet; open: OpenAggregates }

/** Events the server sends on the `/live` namespace (docs/design.md §4). */
export interface ServerToClientEvents {
  snapshot: (snapshot: Snapshot) => void
  changes: (changes: Change[]) => void
  kpis: (frame: KpiFrame) => void
  /**
   * SLA alerts and their later states, oldest first: one frame per room and burst (at most
   * `snapshotAlertCap` raised ones, every resolution), applied in one go (live-protocol.md).
   */
  alerts: (alerts: Alert[]) => void
}

/** Events a client sends on the `/live` namespace (docs/design.md §4). */
export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (reply: SubscribeAck) => void) => void
}

export {
  latestCommentChars,
  liveNamespace,
  recentHorizonMs,
  snapshotAlertCap,
  snapshotTicketCap,
} from './namespace'
export { feedName }
