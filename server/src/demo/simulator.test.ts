import { feedSchemas } from '@citydeck/shared'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadCity } from '../city/profile'
import { DAY, HOUR } from './calendar'
import { loadDemoProfile } from './params'
import { Simulator } from './simulator'
import type { Lifecycle } from './world'

// Simulated time only: every clock here is a constant, nothing waits for real time.
const config = { CITY_PROFILE: 'phan-thiet', CITY_TZ: undefined }
const city = loadCity(config)
const demo = loadDemoProfile(config)
const epoch = Date.parse('2026-01-01T00:00:00+07:00')
const march = { from: Date.parse('2026-03-01T00:00:00+07:00'), to: Date.parse('2026-03-31T00:00:00+07:00') }
const local = (ms: number) => new Date(ms + 7 * HOUR)
const dayOf = (ms: number) => local(ms).toISOString().slice(0, 10)
const slaMs = 8 * HOUR

type Item = Record<string, unknown>
/** Every item created in [from, to), in its final state, by feed. */
function created(
  sim: Simulator,
  from: number,
  to: number,
): Record<'tickets' | 'dossiers' | 'surveys' | 'tasks', Item[]> {
  const out = { tickets: [] as Item[], dossiers: [] as Item[], surveys: [] as Item[], tasks: [] as Item[] }
  for (const lifecycle of lifecycles(sim, from, to)) {
    out[lifecycle.feed as keyof typeof out].push(lifecycle.render(lifecycle.times.length - 1))
  }
  return out
}
function lifecycles(sim: Simulator, from: number, to: number): Lifecycle[] {
  const all: Lifecycle[] = []
  for (let slot = from / HOUR; slot < to / HOUR; slot++) {
    all.push(...sim.slot('tickets', slot), ...sim.slot('dossiers', slot))
  }
  return all
}
const ms = (iso: unknown) => Date.parse(String(iso))
const share = <T>(items: T[], test: (x: T) => boolean) => items.filter(test).length / items.length

describe('demo simulator over a simulated month', () => {
  const sim = new Simulator(city, demo, { seed: 42, epoch })
  let month: ReturnType<typeof created>

  beforeAll(() => {
    month = created(sim, march.from, march.to)
  })

  it('directs some late tickets and issues a few standalone tasks a working day, which units report on', () => {
    const tickets = new Map(month.tickets.map((t) => [`${t.source}:${t.ref}`, t]))
    const directives = month.tasks.filter((t) => t.subject)
    const standalone = month.tasks.filter((t) => !t.subject)
    for (const task of month.tasks) expect(feedSchemas.tasks.safeParse(task).success).toBe(true)
    // Each directive is about a ticket resolved after its deadline, issued after that deadline.
    const late = month.tickets.filter((t) => t.resolvedAt && ms(t.resolvedAt) - ms(t.receivedAt) > slaMs)
    expect(directives.length).toBeGreaterThan(late.length * 0.2)
    expect(directives.length).toBeLessThan(late.length * 0.6)
    for (const d of directives) {
      const subject = d.subject as { source: string; ref: string }
      const ticket = tickets.get(`${subject.source}:${subject.ref}`)
      expect(ticket).toBeDefined()
      expect(ms(d.issuedAt)).toBeGreaterThan(ms(ticket!.receivedAt) + slaMs)
      expect(ms(d.issuedAt)).toBeLessThan(ms(ticket!.resolvedAt))
      expect(d.unit).toBe(ticket!.unit)
      expect(ms(d.dueAt) - ms(d.issuedAt)).toBe(city.profile.directiveHours * HOUR)
    }
    // About 3 standalone tasks a working day (22 working days in March 2026), none at weekends.
    expect(standalone.length).toBeGreaterThan(22 * 1.5)
    expect(standalone.length).toBeLessThan(22 * 5)
    expect(standalone.every((t) => [1, 2, 3, 4, 5].includes(local(ms(t.issuedAt)).getUTCDay()))).toBe(true)
    // Every task ends reported done; most on time, some late.
    expect(month.tasks.every((t) => t.status === 'done' && t.progress === 100 && t.doneAt)).toBe(true)
    const onTime = share(standalone, (t) => ms(t.doneAt) <= ms(t.dueAt))
    expect(onTime).toBeGreaterThan(0.7)
    expect(onTime).toBeLessThan(0.97)
  })

  it('a task moves through accepted and half-way to done, each a later version', () => {
    const task = lifecycles(sim, march.from, march.to).find((l) => l.feed === 'tasks')!
    const statuses = task.times.map((_, k) => task.render(k).status)
    expect(statuses).toEqual(['assigned', 'accepted', 'in_progress', 'done'])
    expect(task.render(2).progress).toBe(50)
    for (let k = 1; k < task.times.length; k++) expect(task.times[k]!).toBeGreaterThan(task.times[k - 1]!)
  })

  it('receives 150–400 tickets every day, with a daily rhythm and weekday/ward/category shape', () => {
    const perDay = countBy(month.tickets, (t) => dayOf(ms(t.receivedAt)))
    expect(Object.keys(perDay)).toHaveLength(30)
    for (const n of Object.values(perDay)) {
      expect(n).toBeGreaterThanOrEqual(150)
      expect(n).toBeLessThanOrEqual(400)
    }

    const perHour = countBy(month.tickets, (t) => String(local(ms(t.receivedAt)).getUTCHours()))
    const night = (perHour['2'] ?? 0) + (perHour['3'] ?? 0)
    const peaks = (perHour['8'] ?? 0) + (perHour['17'] ?? 0)
    expect(night * 8).toBeLessThan(peaks)
    expect(perHour['8']).toBeGreaterThan(perHour['12']!)
    expect(perHour['17']).toBeGreaterThan(perHour['13']!)

    const perWard = countBy(month.tickets, (t) => String(t.wardCode))
    expect(perWard['22930']).toBeGreaterThan(3 * perWard['22966']!) // central Phú Trinh vs rural Tiến Thành

    const perCategory = countBy(month.tickets, (t) => String(t.category))
    const top4 = Object.entries(perCategory)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([c]) => c)
    expect(top4.sort()).toEqual(['sanitation', 'security_order', 'urban_order', 'waste'])
  })

  it('resolves most tickets within the 8-hour SLA, some late, a few rejected', () => {
    const resolved = month.tickets.filter((t) => t.resolvedAt)
    const onTime = share(resolved, (t) => ms(t.resolvedAt) - ms(t.receivedAt) <= slaMs)
    expect(onTime).toBeGreaterThan(0.75)
    expect(onTime).toBeLessThan(0.97)
    const rejected = share(month.tickets, (t) => t.status === 'rejected')
    expect(rejected).toBeGreaterThan(0.005)
    expect(rejected).toBeLessThan(0.08)
  })

  it('files dossiers on working days in office hours, mostly on time, a few overdue', () => {
    for (const d of month.dossiers) {
      const t = local(ms(d.receivedAt))
      expect([1, 2, 3, 4, 5]).toContain(t.getUTCDay())
      const hour = t.getUTCHours() + t.getUTCMinutes() / 60
      expect((hour >= 7.5 && hour < 11.5) || (hour >= 13.5 && hour < 17)).toBe(true)
    }
    const done = month.dossiers.filter((d) => d.finishedAt)
    const onTime = share(done, (d) => ms(d.finishedAt) <= ms(d.dueAt))
    expect(onTime).toBeGreaterThan(0.85)
    expect(onTime).toBeLessThan(0.995)
    expect(month.dossiers.some((d) => d.status === 'withdrawn')).toBe(true)
    // paidOnline only for fee-bearing procedures.
    const fee = new Set(demo.procedures.filter((p) => p.feeBearing).map((p) => p.code))
    for (const d of month.dossiers) expect('paidOnline' in d).toBe(fee.has(String(d.procedureCode)))
  })

  it('keeps the online share low (20–35%) and rising month by month', () => {
    const shares = [0, 4, 8].map((m) => {
      const from = epoch + m * 30 * DAY
      const dossiers = created(sim, from, from + 14 * DAY).dossiers
      return share(dossiers, (d) => d.channel === 'online')
    })
    for (const s of shares) {
      expect(s).toBeGreaterThan(0.18)
      expect(s).toBeLessThan(0.36)
    }
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThan(shares[i - 1]!)
  })

  it('answers surveys mostly satisfied, with differences between units', () => {
    expect(month.surveys.length).toBeGreaterThan(1000)
    const satisfied = share(month.surveys, (s) => Number(s.score) >= 4)
    expect(satisfied).toBeGreaterThan(0.75)
    expect(satisfied).toBeLessThan(0.95)
    const byUnit = new Map<string, number[]>()
    for (const s of month.surveys)
      byUnit.set(String(s.unit), [...(byUnit.get(String(s.unit)) ?? []), Number(s.score)])
    const rates = [...byUnit.values()].filter((x) => x.length >= 40).map((x) => share(x, (v) => v >= 4))
    expect(Math.max(...rates) - Math.min(...rates)).toBeGreaterThan(0.05)
  })

  it('sends every version valid against the shared schemas and the profile, moving only forward', () => {
    const ticketOrder = ['received', 'assigned', 'in_progress', 'resolved', 'closed']
    const dossierNext: Record<string, string[]> = {
      received: ['processing'],
      processing: ['supplement', 'done', 'withdrawn', 'rejected'],
      supplement: ['processing'],
    }
    const categories = new Set(city.profile.categories.map((c) => c.code))
    const units = new Set(city.profile.units.map((u) => u.code))
    for (const lifecycle of lifecycles(sim, march.from, march.from + 7 * DAY)) {
      const versions = lifecycle.times.map((_, k) => lifecycle.render(k))
      for (const [k, item] of versions.entries()) {
        const parsed = feedSchemas[lifecycle.feed].safeParse(item)
        expect(parsed.error?.issues ?? []).toEqual([])
        expect(ms(item.updatedAt)).toBe(lifecycle.times[k])
        if (k > 0) expect(lifecycle.times[k]).toBeGreaterThan(lifecycle.times[k - 1]!)
        expect(item.ref).toBe(versions[0]!.ref)
        if (item.unit !== undefined) expect(units.has(String(item.unit))).toBe(true)
      }
      const statuses = versions.map((v) => String(v.status))
      if (lifecycle.feed === 'tickets') {
        expect(categories.has(String(versions[0]!.category))).toBe(true)
        const ranks = statuses.map((s) => (s === 'rejected' ? 99 : ticketOrder.indexOf(s)))
        for (let k = 1; k < ranks.length; k++) expect(ranks[k]).toBeGreaterThan(ranks[k - 1]!)
      }
      if (lifecycle.feed === 'dossiers') {
        for (let k = 1; k < statuses.length; k++) expect(dossierNext[statuses[k - 1]!]).toContain(statuses[k])
      }
    }
  })
})

describe('demo simulator: determinism and continuity', () => {
  const at = Date.parse('2026-05-12T10:00:00+07:00')

  it('gives the same items for the same seed and other items for another seed', () => {
    const run = (seed: number, withChanges = false) => {
      const sim = new Simulator(city, demo, { seed, epoch })
      return JSON.stringify([created(sim, at - DAY, at), withChanges ? [...sim.changes(at - HOUR, at)] : []])
    }
    expect(run(7, true)).toBe(run(7, true))
    expect(run(7)).not.toBe(run(8))
  })

  it('continues the history seamlessly: ticks in a row end where one long window ends', () => {
    const sim = new Simulator(city, demo, { seed: 3, epoch })
    const latest = (items: Iterable<{ item: Item }>, into = new Map<string, Item>()) => {
      for (const { item } of items) {
        const key = `${item.source}:${item.ref}`
        const seen = into.get(key)
        if (!seen || ms(seen.updatedAt) <= ms(item.updatedAt)) into.set(key, item)
      }
      return into
    }
    // The cache only saves regenerating hours; the result is the same with or without it.
    const whole = latest(sim.changes(at - 2 * DAY, at, { cache: true }))
    const stepped = latest(sim.changes(at - 2 * DAY, at - DAY, { cache: true }))
    for (let t = at - DAY; t < at; t += 3 * HOUR)
      latest(sim.changes(t, t + 3 * HOUR, { cache: true }), stepped)
    expect(stepped.size).toBe(whole.size)
    for (const [key, item] of whole) expect(stepped.get(key)).toEqual(item)
  })
})

describe('demo simulator: live runs and the storm', () => {
  const at = Date.parse('2026-05-12T10:00:00+07:00')
  const ticketsIn = (sim: Simulator, from: number, to: number) =>
    lifecycles(sim, from, to)
      .filter((l) => l.feed === 'tickets')
      .map((l) => l.render(l.times.length - 1))

  it('makes the city busier while a live run lasts (from the city day before it on), and only then', () => {
    const runFrom = at + 2 * HOUR
    // The run's own city day is 2026-05-12; the busier city starts at 2026-05-11 00:00 (city time).
    const busySince = Date.parse('2026-05-11T00:00:00+07:00')
    const quietSim = new Simulator(city, demo, { seed: 5, epoch })
    const live = new Simulator(city, demo, {
      seed: 5,
      epoch,
      runs: [{ from: runFrom, to: null, rate: 1, storm: false }],
    })
    const before = (sim: Simulator) => ticketsIn(sim, busySince - DAY, busySince)
    expect(before(live)).toEqual(before(quietSim))
    // Yesterday and today are alike busy, so "today vs the previous period" compares like with like.
    const yesterday = ticketsIn(live, busySince, busySince + 10 * HOUR).length
    const today = ticketsIn(live, busySince + DAY, busySince + DAY + 10 * HOUR).length
    const quietToday = ticketsIn(quietSim, busySince + DAY, busySince + DAY + 10 * HOUR).length
    expect(today).toBeGreaterThan(demo.params.live.ticketBoost * 0.7 * quietToday)
    expect(yesterday / today).toBeGreaterThan(0.8)
    expect(yesterday / today).toBeLessThan(1.25)
  })

  it('follows the city clock while it runs: a quiet night, a busy morning, still moving at night', () => {
    const run = { from: Date.parse('2026-05-10T12:00:00+07:00'), to: null, rate: 1, storm: false }
    const sim = new Simulator(city, demo, { seed: 11, epoch, runs: [run] })
    const hourAt = (iso: string) => {
      const from = Date.parse(iso)
      const changes = [...sim.changes(from, from + HOUR)]
      const received = changes.filter(({ feed, item }) => feed === 'tickets' && ms(item.receivedAt) > from)
      return { changes: changes.length, newTickets: received.length }
    }
    const night = hourAt('2026-05-12T02:00:00+07:00')
    const morning = hourAt('2026-05-12T09:00:00+07:00')
    const afternoon = hourAt('2026-05-12T17:00:00+07:00')
    // New tickets at 02:00 are a small fraction of 09:00's and 17:00's (the profile's day shape).
    expect(night.newTickets).toBeLessThan(morning.newTickets / 8)
    expect(night.newTickets).toBeLessThan(afternoon.newTickets / 8)
    expect(morning.newTickets).toBeGreaterThan(60)
    // Yet the night still moves: status updates of the evening's tickets, surveys, tasks, at least
    // one change every 20 s on average (live ticks are 3 s).
    expect(night.changes).toBeGreaterThan(180)
    expect(morning.changes).toBeGreaterThan(2 * night.changes)
  })

  it('at 01:00 city time changes something every 3–5 s (night-shift reports), never twice alike, with night-level tickets', () => {
    const run = { from: Date.parse('2026-05-10T12:00:00+07:00'), to: null, rate: 1, storm: false }
    const sim = new Simulator(city, demo, { seed: 11, epoch, runs: [run] })
    const from = Date.parse('2026-05-12T01:00:00+07:00')
    const to = from + HOUR
    // Every version in the hour, as the live feed's 3-second ticks send them.
    const stream = [...sim.changes(from, to, { versionsSince: from - 10 * DAY })]
      .map(({ feed, item }) => ({ feed, item, at: ms(item.updatedAt ?? item.submittedAt) }))
      .sort((a, b) => a.at - b.at)
    const times = [from, ...stream.map((c) => c.at), to]
    const gaps = times.slice(1).map((t, i) => t - times[i]!)
    expect(Math.max(...gaps)).toBeLessThanOrEqual(5_000)
    // Back to back, two changes never read the same on the wall's ticker (feed, status, title, report).
    const line = ({ feed, item }: (typeof stream)[number]) =>
      [feed, item.status, item.title ?? item.ref, item.report].join('|')
    const alike = stream.filter((c, i) => i > 0 && line(c) === line(stream[i - 1]!))
    expect(alike).toEqual([])
    const reports = stream.filter((c) => c.feed === 'tasks' && String(c.item.ref).includes('-TD'))
    expect(reports.length).toBeGreaterThan(700)
    for (const { item } of reports) expect(feedSchemas.tasks.safeParse(item).success).toBe(true)
    // The shift adds no tickets: new ones stay at the night's level (a small share of 09:00's).
    const newTickets = (start: number) =>
      [...sim.changes(start, start + HOUR)].filter(
        ({ feed, item }) => feed === 'tickets' && ms(item.receivedAt) > start,
      ).length
    expect(newTickets(from)).toBeLessThan(newTickets(Date.parse('2026-05-12T09:00:00+07:00')) / 8)
  })

  it("never sends the same ticket twice in a row, and a restart re-derives the run's tickets", () => {
    const from = Date.parse('2026-05-11T00:00:00+07:00')
    const runs = [{ from: from + 20 * HOUR, to: from + 30 * HOUR, rate: 1, storm: false }]
    const restarted = [...runs, { from: from + 30.5 * HOUR, to: null, rate: 1, storm: false }]
    const once = new Simulator(city, demo, { seed: 20261128, epoch, runs })
    const twice = new Simulator(city, demo, { seed: 20261128, epoch, runs: restarted })
    const byTime = (ts: Item[]) => ts.sort((a, b) => ms(a.receivedAt) - ms(b.receivedAt))
    const tickets = byTime(ticketsIn(twice, from, from + 2 * DAY))
    expect(tickets.length).toBeGreaterThan(2_000)
    const repeats = tickets.filter((t, i) => i > 0 && t.title === tickets[i - 1]!.title)
    expect(repeats).toEqual([])
    // The hours both runs cover hold each busier ticket once, the same ones the first run sent.
    const overlap = (ts: Item[]) =>
      ts.filter((t) => ms(t.receivedAt) >= from + 24 * HOUR && ms(t.receivedAt) < from + 30 * HOUR)
    expect(overlap(ticketsIn(twice, from + 24 * HOUR, from + 30 * HOUR))).toEqual(
      overlap(ticketsIn(once, from + 24 * HOUR, from + 30 * HOUR)),
    )
  })

  it('DEMO_RATE=storm: an hour of ×20 tickets, flooding and fallen trees, more SLA breaches', () => {
    const run = { from: at, to: null, rate: 1, storm: true }
    const calm = ticketsIn(
      new Simulator(city, demo, { seed: 9, epoch, runs: [{ ...run, storm: false }] }),
      at,
      at + HOUR,
    )
    const storm = ticketsIn(new Simulator(city, demo, { seed: 9, epoch, runs: [run] }), at, at + HOUR)
    expect(storm.length).toBeGreaterThan(10 * calm.length)
    expect(share(storm, (t) => ['water', 'traffic', 'other'].includes(String(t.category)))).toBeGreaterThan(
      0.8,
    )
    expect(storm.some((t) => String(t.title).startsWith('Cây đổ chắn đường'))).toBe(true)
    expect(storm.some((t) => String(t.title).startsWith('Ngập nước sau mưa lớn'))).toBe(true)
    const late = (ts: Item[]) =>
      share(
        ts.filter((t) => t.resolvedAt),
        (t) => ms(t.resolvedAt) - ms(t.receivedAt) > slaMs,
      )
    expect(late(storm)).toBeGreaterThan(2 * late(calm))
    const after = ticketsIn(
      new Simulator(city, demo, { seed: 9, epoch, runs: [run] }),
      at + 2 * HOUR,
      at + 3 * HOUR,
    )
    expect(after.length).toBeLessThan(storm.length / 5)
  })

  it('sends the catalog of 130 procedures: 84 fully online, 46 partially, 14 on the national portal', () => {
    const catalog = new Simulator(city, demo, { seed: 1, epoch }).catalog()
    for (const p of catalog) expect(feedSchemas.procedures.safeParse(p).success).toBe(true)
    expect(catalog).toHaveLength(130)
    expect(catalog.filter((p) => p.level === 'full')).toHaveLength(84)
    expect(catalog.filter((p) => p.level === 'partial')).toHaveLength(46)
    expect(catalog.filter((p) => p.nationalPortal)).toHaveLength(14)
    expect(catalog.some((p) => p.feeBearing)).toBe(true)
    expect(new Set(catalog.map((p) => p.code)).size).toBe(130)
  })
})

function countBy<T>(items: T[], key: (x: T) => string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const x of items) out[key(x)] = (out[key(x)] ?? 0) + 1
  return out
}
