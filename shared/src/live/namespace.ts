// Constants of the live stream both sides use. In a module of its own, without zod, so the wall
// can import them (`@citydeck/shared/live-namespace`) without the feed schemas.

/** The socket.io namespace of the live stream (docs/design.md §4). */
export const liveNamespace = '/live'

/**
 * The wall's "latest changes" are news: an item whose own time (`submittedAt` for an answer,
 * else `updatedAt`) is older than this (history being backfilled: the demo's first start, a CSV
 * import) is stored but not announced. The server picks a snapshot's recent changes with it,
 * the wall filters the live ones with it.
 */
export const recentHorizonMs = 24 * 3_600_000

/**
 * Most open tickets a snapshot carries: the scope's most urgent (soonest deadline first), what a
 * screen can show. A client keeps no more than this either. Counts never come from this list but
 * from the snapshot's and KPI frames' `open` aggregates, so a backlog of any size costs a wall the
 * same (docs/live-protocol.md).
 */
export const snapshotTicketCap = 400

/** Most current alerts a snapshot carries (newest first), as many as a wall keeps. */
export const snapshotAlertCap = 200

/** How much of a comment the wall lists (three lines at most); the whole answer stays in the API. */
export const latestCommentChars = 280
