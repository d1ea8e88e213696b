import { DAY, HOUR, iso } from './calendar'
import type { CatalogEntry } from './params'
import type { Random } from './random'
import { surveyAbout } from './surveys'
import type { Lifecycle, World } from './world'

/** Promised days are capped so that a bounded look-back finds every open dossier. */
const maxPromisedWorkingDays = 30

/**
 * A procedure case at the one-stop desk: received → processing (→ supplement → processing)
 * → done on time, late, or long overdue; a few are withdrawn or rejected.
 */
export function makeDossier(world: World, random: Random, receivedAt: number, ref: string): Lifecycle[] {
  const p = world.params.dossiers
  const procedure = pickProcedure(world, random)
  const wardCode = random.weighted(world.places.wardWeights)
  const unit =
    procedure.handledBy === 'ward' ? world.wardUnit(wardCode) : (procedure.unit ?? world.wardUnit(wardCode))
  const online = random.chance(world.trend(p.onlineShare, receivedAt))
  const channel = online ? 'online' : random.chance(p.postalShare) ? 'postal' : 'direct'
  const dueAt = world.calendar.addWorkingDays(
    receivedAt,
    Math.min(procedure.days, maxPromisedWorkingDays),
    p.workingDays,
  )
  const span = dueAt - receivedAt
  const digitizedInput = random.chance(world.trend(p.digitizedInput, receivedAt))
  const paidOnline = procedure.feeBearing
    ? random.chance(online ? p.paidOnline.online : p.paidOnline.direct)
    : undefined

  const processingAt = receivedAt + Math.round(random.between(p.acceptHours[0], p.acceptHours[1]) * HOUR)
  const times = [receivedAt, processingAt]
  const statuses = ['received', 'processing']
  const supplementAfter = random.chance(p.supplementShare) ? 2 : undefined
  if (supplementAfter !== undefined) {
    const askedAt = processingAt + Math.round(random.between(0.1, 0.4) * span)
    times.push(askedAt, askedAt + Math.round(random.between(1, 3) * DAY))
    statuses.push('supplement', 'processing')
  }
  const last = times[times.length - 1]!
  const outcome = random.weighted({
    withdrawn: p.withdrawnShare,
    rejected: p.rejectedShare,
    longOverdue: p.longOverdueShare,
    done: 1 - p.withdrawnShare - p.rejectedShare - p.longOverdueShare,
  })
  let finishedAt: number | undefined
  if (outcome === 'withdrawn' || outcome === 'rejected') {
    times.push(last + Math.round(random.between(0.05, 0.5) * span) + HOUR)
    statuses.push(outcome)
  } else {
    const onTime =
      outcome === 'done' && random.chance(Math.min(0.995, p.onTimeShare + world.unit(unit).onTime))
    const [lo, hi] = outcome === 'longOverdue' ? p.longOverdueDays : onTime ? [0, 0] : p.lateDays
    finishedAt = onTime
      ? Math.min(dueAt - 10 * 60_000, receivedAt + Math.round(random.between(0.3, 0.98) * span))
      : dueAt + Math.round(random.between(lo, hi) * DAY)
    finishedAt = Math.max(finishedAt, last + 10 * 60_000)
    times.push(finishedAt)
    statuses.push('done')
  }
  const digitizedResult =
    finishedAt !== undefined && random.chance(world.trend(p.digitizedResult, finishedAt))

  const source = world.params.sources.dossiers
  const fixed = {
    source,
    ref,
    procedureCode: procedure.code,
    channel,
    receivedAt: iso(receivedAt),
    dueAt: iso(dueAt),
    unit,
    wardCode,
    digitizedInput,
    ...(paidOnline !== undefined ? { paidOnline } : {}),
  }
  const dossier: Lifecycle = {
    feed: 'dossiers',
    times,
    render: (k) => ({
      ...fixed,
      updatedAt: iso(times[k]!),
      status: statuses[k],
      supplementRequests: supplementAfter !== undefined && k >= supplementAfter ? 1 : 0,
      ...(finishedAt !== undefined && k === times.length - 1
        ? { finishedAt: iso(finishedAt), digitizedResult }
        : {}),
    }),
  }
  const lifecycles = [dossier]
  if (finishedAt !== undefined && random.chance(world.params.surveys.dossierShare)) {
    const late = finishedAt > dueAt
    lifecycles.push(
      surveyAbout(world, random, { kind: 'dossier', source, ref, unit, wardCode, late }, finishedAt),
    )
  }
  return lifecycles
}

/** Look-back that covers a dossier's whole life: due date, long overdue, then a survey. */
export const dossierLookbackDays = 95

const procedureWeights = new WeakMap<World, Record<string, number>>()
function pickProcedure(world: World, random: Random): CatalogEntry {
  let weights = procedureWeights.get(world)
  if (!weights) {
    weights = Object.fromEntries(world.demo.procedures.map((p, i) => [String(i), p.weight]))
    procedureWeights.set(world, weights)
  }
  return world.demo.procedures[Number(random.weighted(weights))]!
}
