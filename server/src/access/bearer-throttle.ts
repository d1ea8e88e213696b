import type { Config } from '../config'

/** Failed bearer attempts allowed per client address and minute; beyond: 429 until it ends. */
export const bearerLimits = { perMinute: 20, windowMs: 60_000, maxAddresses: 10_000 } as const

/**
 * Counts unknown or revoked bearer tokens per client address, in memory (per process, like the
 * ingest limit). An address past the limit is answered 429 without a lookup until its minute
 * ends; tokens are never guessable (256-bit, seeds at least 16 characters), so this bounds the
 * load and noise of someone trying, and other addresses are never affected.
 */
export class BearerThrottle {
  readonly #windows = new Map<string, { failures: number; endsAt: number }>()
  constructor(readonly clock: () => Date) {}

  /** Seconds this address must wait before its bearer tokens are looked at again; 0: go ahead. */
  waitSeconds(address: string): number {
    const window = this.#windows.get(address)
    const now = this.clock().getTime()
    if (!window || window.endsAt <= now || window.failures < bearerLimits.perMinute) return 0
    return Math.ceil((window.endsAt - now) / 1000)
  }

  recordFailure(address: string): void {
    const now = this.clock().getTime()
    const window = this.#windows.get(address)
    if (window && window.endsAt > now) {
      window.failures++
      return
    }
    if (this.#windows.size >= bearerLimits.maxAddresses) this.#prune(now)
    this.#windows.set(address, { failures: 1, endsAt: now + bearerLimits.windowMs })
  }

  #prune(now: number): void {
    for (const [address, w] of this.#windows) if (w.endsAt <= now) this.#windows.delete(address)
    // Still full (a flood from many addresses): forget the oldest half rather than grow.
    if (this.#windows.size >= bearerLimits.maxAddresses) {
      let drop = this.#windows.size / 2
      for (const address of this.#windows.keys()) {
        if (drop-- <= 0) break
        this.#windows.delete(address)
      }
    }
  }
}

// One throttle per running app (tests run several servers in one process), found by its config.
const throttles = new WeakMap<Config, BearerThrottle>()
export function bearerThrottleFor(deps: { config: Config; clock: () => Date }): BearerThrottle {
  let throttle = throttles.get(deps.config)
  if (!throttle) {
    throttle = new BearerThrottle(deps.clock)
    throttles.set(deps.config, throttle)
  }
  return throttle
}
