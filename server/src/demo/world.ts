import type { FeedName } from '@citydeck/shared'
import type { City } from '../city/profile'
import { CityCalendar, DAY } from './calendar'
import type { DemoProfile } from './params'
import { Places } from './places'
import { Random } from './random'

/**
 * One simulated item from creation to its last change: the times of its versions (strictly
 * increasing) and how to render version k as a feed item. Updates are versions of the same
 * (source, ref) with a later `updatedAt`.
 */
export type Lifecycle = {
  feed: FeedName
  times: number[]
  render: (version: number) => Record<string, unknown>
}

/** Everything the generators share: the profile data, the seed and the start of history. */
export class World {
  readonly calendar: CityCalendar
  readonly places: Places
  private readonly wardUnits = new Map<string, string>()
  private readonly unitTraits = new Map<string, { speed: number; onTime: number; satisfaction: number }>()

  constructor(
    readonly city: City,
    readonly demo: DemoProfile,
    readonly seed: number,
    /** Start of the simulated history: trends (online share, digitisation) rise from here. */
    readonly epoch: number,
  ) {
    this.calendar = new CityCalendar(city.profile.timeZone)
    this.places = new Places(city, demo.params, demo.texts)
  }

  /** The People's Committee of a ward: the profile's unit of kind `ward` for it. */
  wardUnit(wardCode: string): string {
    let unit = this.wardUnits.get(wardCode)
    if (!unit) {
      unit =
        this.city.profile.units.find((u) => u.kind === 'ward' && u.wardCode === wardCode)?.code ??
        `ward-${wardCode}`
      this.wardUnits.set(wardCode, unit)
    }
    return unit
  }

  get params() {
    return this.demo.params
  }

  /** Months since the epoch (0 before it), for trends that rise month by month. */
  monthsAt(ms: number): number {
    return Math.max(0, (ms - this.epoch) / (30.44 * DAY))
  }

  trend(t: { start: number; perMonth: number; max: number }, ms: number): number {
    return Math.min(t.max, t.start + t.perMonth * this.monthsAt(ms))
  }

  /** A unit's own character, fixed by the seed: some units are faster or better liked than others. */
  unit(code: string): { speed: number; onTime: number; satisfaction: number } {
    let traits = this.unitTraits.get(code)
    if (!traits) {
      const random = new Random(this.seed, 0x5eed, hashString(code))
      const { tickets, dossiers, surveys } = this.params
      traits = {
        speed: Math.exp(tickets.unitSpeedSpread * random.normal()),
        onTime: random.between(-dossiers.unitOnTimeSpread, dossiers.unitOnTimeSpread / 2),
        satisfaction: random.between(-surveys.unitSpread, surveys.unitSpread / 2),
      }
      this.unitTraits.set(code, traits)
    }
    return traits
  }
}

/** FNV-1a: a stable number for a string key. */
export function hashString(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}
