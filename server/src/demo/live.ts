import { setImmediate } from 'node:timers/promises'
import { type FeedName, ingestResponseSchema } from '@citydeck/shared'
import { logger } from '../observability/logger'
import type { FeedOutput, Simulator } from './simulator'
import type { DemoTokens } from './tokens'

const log = logger.child({ module: 'demo' })
const feedOrder: FeedName[] = ['procedures', 'tickets', 'dossiers', 'surveys', 'tasks']
/** Below the API's 10,000-item limit per request. */
const requestItems = 5_000

export type TickResult = { at: number; sent: number; created: number; updated: number }

/**
 * Sends what happened in the simulated city since the last tick to the server's public ingest
 * API, over HTTP with the demo's feed tokens, exactly as an external system would. A failed
 * request leaves the window open: the next tick sends it again (ingest is idempotent).
 */
export class LiveFeed {
  private last: number
  private failures = 0

  constructor(
    private readonly simulator: Simulator,
    private readonly options: { url: string; tokens: DemoTokens; from: number },
  ) {
    this.last = options.from
  }

  /** Sends the changes in (last tick, at]. */
  async tick(at: number): Promise<TickResult> {
    const result: TickResult = { at, sent: 0, created: 0, updated: 0 }
    if (at <= this.last) return result
    const groups = new Map<string, FeedOutput['item'][]>()
    let yielded = performance.now()
    for (const { items } of this.simulator.changesBySlot(this.last, at, { cache: true })) {
      // The first tick generates weeks of hours: keep the server answering meanwhile.
      if (performance.now() - yielded > 30) {
        await setImmediate()
        yielded = performance.now()
      }
      for (const { feed, item } of items) {
        const key = `${feed}\u0000${String(item.source)}`
        const list = groups.get(key) ?? []
        groups.set(key, list)
        list.push(item)
      }
    }
    const ordered = [...groups].sort(
      ([a], [b]) =>
        feedOrder.indexOf(a.split('\u0000')[0] as FeedName) -
        feedOrder.indexOf(b.split('\u0000')[0] as FeedName),
    )
    try {
      for (const [key, items] of ordered) {
        const [feed, source] = key.split('\u0000') as [FeedName, string]
        for (let i = 0; i < items.length; i += requestItems) {
          const counts = await this.post(feed, source, items.slice(i, i + requestItems))
          result.sent += Math.min(requestItems, items.length - i)
          result.created += counts.created
          result.updated += counts.updated
        }
      }
    } catch (error) {
      // Log the first failure and then every 20th, so a server that is down does not flood the log.
      if (this.failures++ % 20 === 0)
        log.warn({ err: error, failures: this.failures }, 'live feed: send failed; retrying')
      throw error
    }
    this.failures = 0
    this.last = at
    return result
  }

  private async post(
    feed: FeedName,
    source: string,
    items: unknown[],
  ): Promise<{ created: number; updated: number }> {
    const token = this.options.tokens.feeds[source]
    if (!token) throw new Error(`demo live feed: no feed token for source ${source}`)
    const response = await fetch(`${this.options.url}/api/v1/feeds/${feed}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(items),
    })
    const answer: unknown = await response.json().catch(() => null)
    if (!response.ok) {
      throw new Error(
        `POST /api/v1/feeds/${feed}: HTTP ${response.status} ${JSON.stringify(answer)?.slice(0, 300)}`,
      )
    }
    const parsed = ingestResponseSchema.safeParse(answer)
    const body = parsed.success ? parsed.data : null
    if (body?.rejected?.length) {
      log.warn({ feed, rejected: body.rejected.slice(0, 3) }, 'live feed: items rejected')
    }
    return { created: body?.created ?? 0, updated: body?.updated ?? 0 }
  }
}
