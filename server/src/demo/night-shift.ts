import { HOUR, iso } from './calendar'
import { Random } from './random'
import type { Lifecycle, World } from './world'

/** Stream id of the night-shift lane (apart from the ticket, dossier and task lanes). */
const lane = 31

/**
 * The night shift while the demo runs: few citizens report at night, so the wall would sit still
 * for long spells. Instead the shift's crews, one task per crew and night, report from the wards
 * every few seconds (a report is a new version of the crew's task, through the tasks feed),
 * without adding a single ticket. Reports exist only at times `inRun` says the demo runs, so the
 * year of history is not filled with them; the shift's start and its close are always there, so
 * a run stopped mid-night still closes its crews' tasks when the next start sends the gap.
 *
 * Built in the slot of the shift's first hour; null-free: an empty list outside that slot or when
 * no report of the night falls in a run.
 */
export function nightShift(world: World, slot: number, inRun: (at: number) => boolean): Lifecycle[] {
  const p = world.params.live.nightShift
  const local = world.calendar.slot(slot)
  if (local.hour !== p.hours[0]) return []
  const start = slot * HOUR
  const end = start + (((p.hours[1] - p.hours[0] + 24) % 24) * HOUR || 24 * HOUR)
  const random = new Random(world.seed, lane, slot)
  // A report every lo..hi seconds: each sits on a grid of their mean, moved by up to their spread,
  // so two neighbours are never further apart than hi nor closer than lo.
  const [lo, hi] = p.reportEverySeconds
  const step = ((lo + hi) / 2) * 1000
  const spread = ((hi - lo) / 2) * 1000
  const count = Math.floor((end - start - spread) / step)
  const crews = crewWards(world, random, p.crews)
  const reports = crews.map(() => [] as Array<{ at: number; text: string }>)
  let lastCrew = -1
  let lastText = ''
  const { nightReports } = world.demo.texts
  for (let k = 1; k < count; k++) {
    const at = start + k * step + Math.floor(random.float() * spread)
    // Drawn whether in a run or not, so the same night has the same reports in every run.
    let crew = random.int(0, crews.length - 2)
    if (crew >= lastCrew && lastCrew >= 0) crew++
    const ward = world.places.ward(crews[crew]!)
    let text = lastText
    for (let tries = 0; tries < 8 && text === lastText; tries++) {
      text = world.places.fill(random.pick(nightReports), random.pick(ward.streets), random.int(2, 180))
    }
    lastCrew = crew
    lastText = text
    if (inRun(at)) reports[crew]!.push({ at, text })
  }
  const out: Lifecycle[] = []
  crews.forEach((wardCode, crew) => {
    if (reports[crew]!.length === 0) return
    out.push(crewTask(world, { wardCode, crew, start, end, stamp: local.stamp, reports: reports[crew]! }))
  })
  return out
}

/** The wards the crews patrol tonight: the busiest ones are likelier, no ward twice. */
function crewWards(world: World, random: Random, crews: number): string[] {
  const weights = { ...world.places.wardWeights }
  const out: string[] = []
  while (out.length < crews && Object.keys(weights).length > 0) {
    const code = random.weighted(weights)
    out.push(code)
    delete weights[code]
  }
  return out
}

/** A crew's night as a task: assigned at the shift's start, a version per report, done at its end. */
function crewTask(
  world: World,
  night: {
    wardCode: string
    crew: number
    start: number
    end: number
    stamp: string
    reports: Array<{ at: number; text: string }>
  },
): Lifecycle {
  const { texts } = world.demo
  const ward = world.places.ward(night.wardCode)
  const span = night.end - night.start
  const times = [night.start, ...night.reports.map((r) => r.at), night.end]
  const fixed = {
    source: world.params.sources.tasks,
    ref: `${world.params.refPrefixes.tasks}-${night.stamp}-TD${night.crew + 1}`,
    title: texts.nightShift.title.replaceAll('{ward}', ward.name),
    description: texts.nightShift.description,
    unit: world.wardUnit(night.wardCode),
    wardCode: night.wardCode,
    issuedBy: world.params.tasks.issuedBy,
    issuedAt: iso(night.start),
    dueAt: iso(night.end),
    priority: 'normal' as const,
  }
  const last = times.length - 1
  return {
    feed: 'tasks',
    times,
    render: (k) => {
      const at = times[k]!
      if (k === 0) return { ...fixed, updatedAt: iso(at), status: 'assigned', progress: 0 }
      if (k === last) {
        return {
          ...fixed,
          updatedAt: iso(at),
          status: 'done',
          progress: 100,
          report: texts.nightShift.done,
          doneAt: iso(at),
        }
      }
      const progress = Math.min(99, Math.floor((100 * (at - night.start)) / span))
      return {
        ...fixed,
        updatedAt: iso(at),
        status: 'in_progress',
        progress,
        report: night.reports[k - 1]!.text,
      }
    },
  }
}
