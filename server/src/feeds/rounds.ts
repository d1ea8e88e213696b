import type { Normalized } from './normalize'

/** Rows per statement: large enough to amortise round trips, small enough for short row locks. */
export const statementRows = 2000

/** An item's identity, `(source, ref)`, as one string. */
export const itemKey = (item: { source: string; ref: string }) => `${item.source}\u0000${item.ref}`

/**
 * One statement cannot touch a row twice, so repeats of an item go into later rounds, in
 * delivery order. Each round is sorted by key so concurrent writers lock rows in the same order.
 * Returns positions into `items`.
 */
export function deliveryRounds(items: readonly Normalized[]): number[][] {
  const seen = new Map<string, number>()
  const keys = items.map(itemKey)
  const rounds: number[][] = []
  keys.forEach((key, i) => {
    const round = seen.get(key) ?? 0
    seen.set(key, round + 1)
    if (!rounds[round]) rounds[round] = []
    rounds[round].push(i)
  })
  for (const round of rounds) round.sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0))
  return rounds
}

/** The statements that write `items`: one per delivery round and per `statementRows` of it (positions). */
export function* statements(items: readonly Normalized[]): Generator<number[]> {
  for (const round of deliveryRounds(items)) {
    for (let i = 0; i < round.length; i += statementRows) yield round.slice(i, i + statementRows)
  }
}
