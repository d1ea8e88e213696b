import type { FeedName } from '@citydeck/shared'
import type { City } from '../city/profile'
import { DAY, HOUR, iso } from './calendar'
import { dossierLookbackDays, makeDossier } from './dossiers'
import { nightShift } from './night-shift'
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
    options: { newestFirst?: boolean; cache?: boolean; versionsSince?: number } = {},
  ): Generator<FeedOutput> {
    for (const { items } of this.changesBySlot(from, to, options)) yield* items
  }

  /** The same as `changes`, grouped by the hour slot the items were created in (for progress). */
  *changesBySlot(
    from: number,
    to: number,
    options: {
      newestFirst?: boolean
      cache?: boolean
      /**
       * Items created in hour slots from this time on come with every version in (from, to],
       * oldest first, not only the latest: their timelines tell the story (received → … → closed).
       */
      versionsSince?: number
    } = {},
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
      const everyVersion = options.versionsSince !== undefined && slot * HOUR >= options.versionsSince
      for (const group of groups) {
        for (const lifecycle of this.slot(group, slot, options.cache === true)) {
          const version = latestVersion(lifecycle.times, to)
          if (version < 0 || lifecycle.times[version]! <= from) continue
          let first = version
          while (everyVersion && first > 0 && lifecycle.times[first - 1]! > from) first--
          for (let k = first; k <= version; k++)
            items.push({ feed: lifecycle.feed, item: lifecycle.render(k) })
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
    // The hour's share of the day: quiet nights, peaks at 8:00 and 17:00 (demo.json hourWeights),
    // in history and live alike.
    const mean =
      (p.perDay * p.weekdayWeights[local.weekday]! * p.hourWeights[local.hour]!) / sum(p.hourWeights)
    const start = slot * HOUR
    const out: Lifecycle[] = []
    // Every ticket of the hour by time, so a new one never repeats the title of either neighbour.
    const placed: Array<{ at: number; title: string }> = []
    const place = (
      random: Random,
      count: number,
      tag: string,
      inWindow: (at: number) => boolean,
      storm = false,
    ) => {
      const times = Array.from({ length: count }, () => start + Math.floor(random.float() * HOUR)).sort(
        (a, b) => a - b,
      )
      times.forEach((at, i) => {
        const ref = `${world.params.refPrefixes.tickets}-${local.stamp}-${tag}${String(i).padStart(3, '0')}`
        const next = placed.findIndex((x) => x.at > at)
        const index = next < 0 ? placed.length : next
        const avoid = [placed[index - 1]?.title, placed[index]?.title].filter((t) => t !== undefined)
        const lifecycles = makeTicket(world, random, at, ref, { storm, avoidTitles: avoid })
        placed.splice(index, 0, { at, title: String(lifecycles[0]!.render(0).title) })
        if (inWindow(at)) out.push(...lifecycles)
      })
    }
    place(
      new Random(world.seed, lane.tickets, slot),
      new Random(world.seed, lane.tickets, slot, 1).poisson(mean),
      '',
      () => true,
    )
    // The city's own tasks for its units (tasks.ts), beside the citizens' tickets of the hour.
    out.push(...standaloneTasks(world, slot))
    if (this.runs.length) out.push(...nightShift(world, slot, (at) => this.inRun(at)))
    const runs = this.runsOverlapping(start, start + HOUR)
    if (runs.length) {
      // While the demo runs the city is busier by the same factor at every hour, so the day keeps
      // its shape. One lane for every run: two runs sharing an hour (a restart) add the busier
      // city once, and a restart re-derives the very tickets the last run sent.
      const multiplier = Math.max(...runs.map((r) => r.rate)) * world.params.live.ticketBoost
      const inRun = (at: number) => runs.some((r) => this.liveWindow(r)[0] <= at && at < (r.to ?? Infinity))
      place(
        new Random(world.seed, lane.liveTickets, slot),
        new Random(world.seed, lane.liveTickets, slot, 1).poisson(mean * Math.max(0, multiplier - 1)),
        'L',
        inRun,
      )
      for (const run of runs.filter((r) => r.storm)) {
        const storm = world.params.storm
        const stormEnd = Math.min(run.to ?? Infinity, run.from + storm.hours * HOUR)
        if (run.from < start + HOUR && stormEnd > start) {
          const random = new Random(world.seed, lane.stormTickets, slot, run.from / 1000)
          place(
            random,
            random.poisson(mean * run.rate * world.params.live.ticketBoost * (storm.ticketFactor - 1)),
            `B${runTag(run)}`,
            (at) => at >= run.from && at < stormEnd,
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
    const runs = this.runsOverlapping(start, start + HOUR)
    if (runs.length) {
      const extra = Math.max(0, Math.max(...runs.map((r) => r.rate)) * world.params.live.dossierBoost - 1)
      place(
        new Random(world.seed, lane.liveDossiers, slot),
        new Random(world.seed, lane.liveDossiers, slot, 1).poisson(mean * extra),
        'L',
        [this.busySince(runs), Math.max(...runs.map((r) => r.to ?? Infinity))],
      )
    }
    return out
  }

  /**
   * When a run's busier city exists: from the start of the city day before the run's until its
   * end. "Today" and the same hours of yesterday (the leader view's previous period) are then
   * alike busy, so they compare like with like, and items already in progress move on from the
   * first tick. That day before falls in the history the run's own start sends.
   */
  liveWindow(run: DemoRun): [number, number] {
    const offset = this.world.calendar.slot(Math.floor(run.from / HOUR)).offsetMinutes * 60_000
    const dayStart = Math.floor((run.from + offset) / DAY) * DAY - offset
    return [dayStart - this.world.params.live.busyDaysBefore * DAY, run.to ?? Infinity]
  }

  /** The earliest busier hour of `runs`. */
  private busySince(runs: DemoRun[]): number {
    return Math.min(...runs.map((r) => this.liveWindow(r)[0]))
  }

  /** Whether the demo runs at `at` (its own window, not the busier days before it). */
  private inRun(at: number): boolean {
    return this.runs.some((r) => r.from <= at && at < (r.to ?? Infinity))
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
