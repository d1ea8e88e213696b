import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'

/** Mixes integers into one 32-bit seed (murmur3's finaliser per part), so each slot has its own stream. */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9
  for (const part of parts) {
    let k = Math.floor(part) | 0
    k = Math.imul(k ^ (k >>> 16), 0x85ebca6b)
    k = Math.imul(k ^ (k >>> 13), 0xc2b2ae35)
    h = Math.imul(h ^ k ^ (k >>> 16), 0x27d4eb2d) + (Math.floor(part / 2 ** 32) | 0)
  }
  return h | 0
}

/** Draws from one seeded stream: the same keys always give the same sequence. */
export class Random {
  private readonly rng

  constructor(...keys: number[]) {
    this.rng = xoroshiro128plus(mixSeed(...keys))
  }

  /** Uniform in [0, 1). */
  float(): number {
    return uniformFloat64(this.rng)
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.float()
  }

  int(min: number, max: number): number {
    return Math.floor(this.between(min, max + 1))
  }

  chance(p: number): boolean {
    return this.float() < p
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.float() * items.length)]!
  }

  /** A key of `weights` drawn in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Record<K, number>>): K {
    const entries = Object.entries(weights) as Array<[K, number]>
    let total = 0
    for (const [, w] of entries) total += w
    let x = this.float() * total
    for (const [k, w] of entries) {
      x -= w
      if (x < 0) return k
    }
    return entries[entries.length - 1]![0]
  }

  normal(): number {
    // Box–Muller; 1 - u keeps the logarithm finite.
    return Math.sqrt(-2 * Math.log(1 - this.float())) * Math.cos(2 * Math.PI * this.float())
  }

  /** Log-normal with the given median and spread (sigma of the logarithm). */
  logNormal(median: number, spread: number): number {
    return median * Math.exp(spread * this.normal())
  }

  /** How many events of a Poisson process with mean `mean` (normal approximation for large means). */
  poisson(mean: number): number {
    if (mean <= 0) return 0
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()))
    const limit = Math.exp(-mean)
    let k = 0
    let p = this.float()
    while (p > limit) {
      k++
      p *= this.float()
    }
    return k
  }
}
