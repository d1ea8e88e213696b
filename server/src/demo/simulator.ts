import type { FeedName } from '@citydeck/shared'
import type { City } from '../city/profile'
import { DAY, HOUR, iso } from './calendar'
import { dossierLookbackDays, makeDossier } from './dossiers'
import type { DemoProfile } from './params'
import { Random } from './random'
import { standaloneTasks } from './tasks'
import { makeTicket } from './tickets'
import { type Lifecycle, World } from './world'

/**
 * A live run of the demo: from `from` until `to` (null while it runs) the city is busier
 * (DEMO_RATE times the live boosts of demo.json), and a storm run starts with a typhoon hour.
 */
export type DemoRun = { from: number; to: number | null; rate: number; storm: boolean }
export type SimulatorOptions = { seed: number; epoch: number; runs?: DemoRun[] }
export type FeedOutput = { feed: FeedName; item: Record<string, unknown> }

const ticketLookbackDays = 8
/** Stream ids, so each lane of each hour draws from its own random sequence. */
const lane = { tickets: 1, liveTickets: 2, stormTickets: 3, dossiers: 11, liveDossiers: 12 } as const

/**
 * The demo city as a pure function of (seed, profile data, runs): every hour slot holds the
 * same tickets and dossiers whenever it is asked for. `changes(from, to)` returns each item
 * that changed in (from, to] in its state at `to`; backfill and the live feed both use it, so
 * live continues the history seamlessly.
 */
export class Simulator {
  readonly world: World
  private readonly runs: DemoRun[]
  private readonly cache = new Map<string, Lifecycle[]>()

  constructor(city: City, demo: DemoProfile, options: SimulatorOptions) {
    this.world = new World(city, demo, options.seed, options.epoch)
    this.runs = options.runs ?? []
  }

  /** The procedure catalog as procedures-feed items (versioned at the epoch, so re-sending is a no-op). */
  catalog(): Record<string, unknown>[] {
    const source = this.world.params.sources.procedures
    return this.world.demo.procedures.map(({ handledBy: _h, weight: _w, days: _d, ...entry }) => ({
      source,
      ref: entry.code,
      updatedAt: iso(this.world.epoch),
      ...entry,
    }))
  }

  /**
   * Items that changed in (from, to], each in its latest state at `to`. `newestFirst` walks the
   * hours backwards (a backfill shows today first); `cache` keeps generated hours for the next
   * call (the live feed asks about the same recent weeks every few seconds).
   */
  *changes(
    from: number,
    to: number,
    options: { newestFirst?: boolean; cache?: boolean } = {},
  ): Generator<FeedOutput> {
    for (const { items } of this.changesBySlot(from, to, options)) yield* items
  }

  /** The same as `changes`, grouped by the hour slot the items were created in (for progress). */
  *changesBySlot(
    from: number,
    to: number,
    options: { newestFirst?: boolean; cache?: boolean } = {},
  ): Generator<{ slot: number; items: FeedOutput[] }> {
    const last = Math.floor((to - 1) / HOUR)
    const firstTicket = Math.floor((from - ticketLookbackDays * DAY) / HOUR)
    const firstDossier = Math.floor((from - dossierLookbackDays * DAY) / HOUR)
    if (options.cache) this.evictBefore(firstDossier)
    for (let i = 0; i <= last - firstDossier; i++) {
      const slot = options.newestFirst ? last - i : firstDossier + i
      const groups: Array<'tickets' | 'dossiers'> =
        slot >= firstTicket ? ['tickets', 'dossiers'] : ['dossiers']
      const items: FeedOutput[] = []
      for (const group of groups) {
        for (const lifecycle of this.slot(group, slot, options.cache === true)) {
          const version = latestVersion(lifecycle.times, to)
          if (version >= 0 && lifecycle.times[version]! > from) {
            items.push({ feed: lifecycle.feed, item: lifecycle.render(version) })
          }
        }
      }
      yield { slot, items }
    }
  }

  /** Every lifecycle created in one hour slot (tickets with their surveys, directives and the city's tasks; or dossiers). */
  slot(group: 'tickets' | 'dossiers', slot: number, cache = false): Lifecycle[] {
    const key = `${group}:${slot}`
    const cached = this.cache.get(key)
    if (cached) return cached
    const lifecycles = group === 'tickets' ? this.ticketSlot(slot) : this.dossierSlot(slot)
    if (cache) this.cache.set(key, lifecycles)
    return lifecycles
  }

  private ticketSlot(slot: number): Lifecycle[] {
    const { world } = this
    const p = world.params.tickets
    const local = world.calendar.slot(slot)
    const mean =
      (p.perDay * p.weekdayWeights[local.weekday]! * p.hourWeights[local.hour]!) / sum(p.hourWeights)
    const start = slot * HOUR
    const out: Lifecycle[] = []
    const place = (random: Random, count: number, tag: string, window: [number, number], storm = false) => {
      for (let i = 0; i < count; i++) {
        const at = start + Math.floor(random.float() * HOUR)
        const ref = `${world.params.refPrefixes.tickets}-${local.stamp}-${tag}${String(i).padStart(3, '0')}`
        const lifecycles = makeTicket(world, random, at, ref, { storm })
        if (at >= window[0] && at < window[1]) out.push(...lifecycles)
      }
    }
    place(
      new Random(world.seed, lane.tickets, slot),
      new Random(world.seed, lane.tickets, slot, 1).poisson(mean),
      '',
      [-Infinity, Infinity],
    )
    // The city's own tasks for its units (tasks.ts), beside the citizens' tickets of the hour.
    out.push(...standaloneTasks(world, slot))
    for (const run of this.runsOverlapping(start, start + HOUR)) {
      // The floor keeps a quiet night visibly alive; DEMO_RATE scales both.
      const multiplier =
        run.rate * Math.max(world.params.live.ticketBoost, world.params.live.minTicketsPerHour / mean)
      const window = this.liveWindow(run)
      const random = new Random(world.seed, lane.liveTickets, slot, run.from / 1000)
      place(random, random.poisson(mean * Math.max(0, multiplier - 1)), `L${runTag(run)}`, window)
      if (run.storm) {
        const storm = world.params.storm
        const stormWindow: [number, number] = [
          run.from,
          Math.min(run.to ?? Infinity, run.from + storm.hours * HOUR),
        ]
        if (stormWindow[0] < start + HOUR && stormWindow[1] > start) {
          const random = new Random(world.seed, lane.stormTickets, slot, run.from / 1000)
          place(
            random,
            random.poisson(mean * multiplier * (storm.ticketFactor - 1)),
            `B${runTag(run)}`,
            stormWindow,
            true,
          )
        }
      }
    }
    return out
  }

  private dossierSlot(slot: number): Lifecycle[] {
    const { world } = this
    const p = world.params.dossiers
    const local = world.calendar.slot(slot)
    if (!p.workingDays.includes(local.weekday)) return []
    // The part of this local hour that falls in office hours, as [from, to) in hours of the day.
    const open = p.officeHours
      .map(([a, b]) => [Math.max(a, local.hour), Math.min(b, local.hour + 1)] as const)
      .filter(([a, b]) => b > a)
    if (open.length === 0) return []
    const openHours = open.reduce((s, [a, b]) => s + b - a, 0)
    const dayHours = p.officeHours.reduce((s, [a, b]) => s + b - a, 0)
    const mean = (p.perWorkingDay * openHours) / dayHours
    const start = slot * HOUR
    const localStart = local.hour
    const out: Lifecycle[] = []
    const place = (random: Random, count: number, tag: string, window: [number, number]) => {
      for (let i = 0; i < count; i++) {
        // Uniform over the open part of the hour.
        let x = random.float() * openHours
        let hourOfDay = open[0]![0]
        for (const [a, b] of open) {
          hourOfDay = a + x
          if (x < b - a) break
          x -= b - a
        }
        const at = start + Math.floor((hourOfDay - localStart) * HOUR)
        const lifecycles = makeDossier(
          world,
          random,
          at,
          `${world.params.refPrefixes.dossiers}-${local.stamp}-${tag}${String(i).padStart(3, '0')}`,
        )
        if (at >= window[0] && at < window[1]) out.push(...lifecycles)
      }
    }
    place(
      new Random(world.seed, lane.dossiers, slot),
      new Random(world.seed, lane.dossiers, slot, 1).poisson(mean),
      '',
      [-Infinity, Infinity],
    )
    for (const run of this.runsOverlapping(start, start + HOUR)) {
      const random = new Random(world.seed, lane.liveDossiers, slot, run.from / 1000)
      const extra = Math.max(0, run.rate * world.params.live.dossierBoost - 1)
      place(random, random.poisson(mean * extra), `L${runTag(run)}`, this.liveWindow(run))
    }
    return out
  }

  /**
   * When a run's busier city exists: from a warm-up before its start (so items already in
   * progress move on from the first tick) until its end. The warm-up falls in the history the
   * run's own start sends, so it is stored like any other history.
   */
  private liveWindow(run: DemoRun): [number, number] {
    return [run.from - this.world.params.live.warmupMinutes * 60_000, run.to ?? Infinity]
  }

  private runsOverlapping(from: number, to: number): DemoRun[] {
    return this.runs.filter((r) => this.liveWindow(r)[0] < to && (r.to === null || r.to > from))
  }

  private evictBefore(slot: number): void {
    for (const key of this.cache.keys()) {
      if (Number(key.slice(key.indexOf(':') + 1)) < slot) this.cache.delete(key)
    }
  }
}

/** Index of the last version at or before `at`, or -1. */
function latestVersion(times: number[], at: number): number {
  let k = times.length - 1
  while (k >= 0 && times[k]! > at) k--
  return k
}

/** Tells apart the items of two runs that share an hour (a restart within the hour). */
const runTag = (run: DemoRun) =>
  `${Math.floor(run.from / 1000)
    .toString(36)
    .slice(-3)}-`

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
