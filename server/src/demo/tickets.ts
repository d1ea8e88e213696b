import { HOUR, iso } from './calendar'
import type { Random } from './random'
import { surveyAbout } from './surveys'
import { directLateTicket } from './tasks'
import type { Lifecycle, World } from './world'

const MINUTE = 60_000
/** No ticket stays open longer than this, so a bounded look-back finds every live one. */
export const maxTicketResolveHours = 96

/** A citizen report and its way through the units: received → assigned → in progress → resolved → closed. */
export function makeTicket(
  world: World,
  random: Random,
  receivedAt: number,
  ref: string,
  /** `avoidTitles`: the titles of the tickets just before and after, which this one must not repeat. */
  options: { storm?: boolean; avoidTitles?: readonly string[] } = {},
): Lifecycle[] {
  const p = world.params.tickets
  const { texts } = world.demo
  const storm = options.storm === true
  const category = random.weighted(storm ? world.params.storm.categories : weightsOf(p.categories))
  const wardCode = random.weighted(world.places.wardWeights)
  const ward = world.places.ward(wardCode)
  const unitKey = random.weighted(p.categories[category]?.units ?? { ward: 1 })
  const unit = unitKey === 'ward' ? world.wardUnit(wardCode) : unitKey
  const templates =
    (storm ? texts.storm[category] : undefined) ?? texts.tickets[category] ?? texts.tickets.other!
  // The same report twice in a row reads as a duplicate on the wall's ticker: draw again (a few
  // tries; a ward with one street and a category with one text can only differ by the number).
  let [titleTemplate, descriptionTemplate] = random.pick(templates)
  let street = random.pick(ward.streets)
  let n = random.int(2, 180)
  for (
    let tries = 0;
    tries < 8 && options.avoidTitles?.includes(world.places.fill(titleTemplate, street, n));
    tries++
  ) {
    ;[titleTemplate, descriptionTemplate] = random.pick(templates)
    street = random.pick(ward.streets)
    n = random.int(2, 180)
  }
  const channel = random.weighted(p.channels)
  const reporter = random.chance(channel === 'social' ? p.reporterShare / 2 : p.reporterShare)
    ? world.places.person(random)
    : undefined
  const location = world.places.pointIn(ward, random)

  // Version times: each step strictly after the previous one.
  const assignedAt = receivedAt + Math.round(random.between(p.assignMinutes[0], p.assignMinutes[1]) * MINUTE)
  const times = [receivedAt, assignedAt]
  const statuses = ['received', 'assigned']
  const rejected = !storm && random.chance(p.rejectShare)
  let resolvedAt: number | undefined
  let closedAt: number | undefined
  if (rejected) {
    times.push(assignedAt + Math.round(random.between(30, 180) * MINUTE))
    statuses.push('rejected')
  } else {
    const startedAt = assignedAt + Math.round(random.between(p.startMinutes[0], p.startMinutes[1]) * MINUTE)
    const median =
      (storm ? world.params.storm.resolveHoursMedian : p.resolveHoursMedian) * world.unit(unit).speed
    const hours = Math.min(maxTicketResolveHours, random.logNormal(median, p.resolveSpread))
    resolvedAt = Math.max(
      receivedAt + Math.round(hours * HOUR),
      startedAt + Math.round(random.between(5, 30) * MINUTE),
    )
    closedAt = resolvedAt + Math.round(random.between(p.closeHours[0], p.closeHours[1]) * HOUR)
    times.push(startedAt, resolvedAt, closedAt)
    statuses.push('in_progress', 'resolved', 'closed')
  }

  const source = world.params.sources.tickets
  const fixed = {
    source,
    ref,
    category,
    title: world.places.fill(titleTemplate, street, n),
    description: world.places.fill(descriptionTemplate, street, n),
    location,
    address: `${street.startsWith('đường') || street.startsWith('Quốc') || street.startsWith('ĐT') ? '' : `${n} `}${street}, ${ward.name}`,
    wardCode,
    receivedAt: iso(receivedAt),
    channel,
    ...(reporter ? { reporter } : {}),
  }
  const ticket: Lifecycle = {
    feed: 'tickets',
    times,
    render: (k) => ({
      ...fixed,
      updatedAt: iso(times[k]!),
      status: statuses[k],
      ...(k >= 1 ? { unit } : {}),
      ...(resolvedAt !== undefined && k >= 3 ? { resolvedAt: iso(resolvedAt) } : {}),
      ...(closedAt !== undefined && k >= 4 ? { closedAt: iso(closedAt) } : {}),
    }),
  }
  const lifecycles = [ticket]
  const slaHours =
    world.city.profile.categories.find((c) => c.code === category)?.slaHours ??
    world.city.profile.defaultSlaHours
  const dueAt = receivedAt + slaHours * HOUR
  const lateResolved = resolvedAt !== undefined && resolvedAt > dueAt
  if (resolvedAt !== undefined && random.chance(world.params.surveys.ticketShare)) {
    lifecycles.push(
      surveyAbout(
        world,
        random,
        { kind: 'ticket', source, ref, unit, wardCode, late: lateResolved },
        resolvedAt,
      ),
    )
  }
  if (lateResolved) {
    const subject = { kind: 'ticket' as const, source, ref }
    const item = { subject, title: fixed.title, unit, wardCode, dueAt, resolvedAt: resolvedAt! }
    const directive = directLateTicket(world, item, receivedAt)
    if (directive) lifecycles.push(directive)
  }
  return lifecycles
}

function weightsOf(categories: Record<string, { weight: number }>): Record<string, number> {
  return Object.fromEntries(Object.entries(categories).map(([k, v]) => [k, v.weight]))
}
