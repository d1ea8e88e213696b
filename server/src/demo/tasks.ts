import type { TaskSubject } from '@citydeck/shared'
import { DAY, HOUR, iso } from './calendar'
import { Random } from './random'
import type { Lifecycle, World } from './world'

const MINUTE = 60_000
/** Stream ids of the task lanes (apart from the ticket and dossier lanes of simulator.ts). */
const lane = { directive: 21, standalone: 22, standaloneCount: 23 } as const
/** No standalone task runs longer than its longest deadline plus its lateness. */
export const maxTaskDays = 7

/** A ticket the demo may direct: it was resolved after its deadline. */
export type LateItem = {
  subject: TaskSubject
  title: string
  unit: string
  wardCode: string
  dueAt: number
  resolvedAt: number
}

/**
 * A leader directing a late ticket (docs/design.md §9): shortly after its deadline passes, a task for the
 * ticket's unit, due the profile's directive hours later; the unit accepts, reports half-way and
 * reports done soon after the ticket is resolved. Drawn from its own stream per ticket, so the
 * tickets themselves are the same with or without it. Null when the ticket is not directed.
 */
export function directLateTicket(world: World, late: LateItem, key: number): Lifecycle | null {
  const p = world.params.tasks
  const random = new Random(world.seed, lane.directive, key)
  if (!random.chance(p.directLateTicketShare)) return null
  const issuedAt =
    late.dueAt + Math.round(random.between(p.directAfterMinutes[0], p.directAfterMinutes[1]) * MINUTE)
  // A ticket resolved before anyone would have directed it needs no directive.
  if (issuedAt >= late.resolvedAt - 20 * MINUTE) return null
  const dueAt = issuedAt + world.city.profile.directiveHours * HOUR
  const acceptedAt = issuedAt + Math.round(random.between(5, 40) * MINUTE)
  const halfwayAt = acceptedAt + Math.round((late.resolvedAt - acceptedAt) * random.between(0.3, 0.7))
  const doneAt = late.resolvedAt + Math.round(random.between(5, 30) * MINUTE)
  const ref = `${world.params.refPrefixes.tasks}-CD-${late.subject.ref}`
  return lifecycle(world, {
    ref,
    title: `Chỉ đạo xử lý: ${late.title}`,
    description: 'Xử lý dứt điểm phản ánh đã quá hạn, báo cáo kết quả trong thời hạn.',
    unit: late.unit,
    wardCode: late.wardCode,
    subject: late.subject,
    priority: 'urgent',
    issuedAt,
    dueAt,
    steps: [acceptedAt, halfwayAt, doneAt],
  })
}

/**
 * The standalone tasks the city issues in one hour slot: a few a working day, in office hours,
 * to ward committees and departments, due in a few days; units accept within hours, report
 * half-way, and finish mostly on time.
 */
export function standaloneTasks(world: World, slot: number): Lifecycle[] {
  const p = world.params.tasks
  const local = world.calendar.slot(slot)
  if (!world.params.dossiers.workingDays.includes(local.weekday)) return []
  if (local.hour < p.officeHours[0] || local.hour >= p.officeHours[1]) return []
  const perHour = p.standalonePerWorkingDay / (p.officeHours[1] - p.officeHours[0])
  const count = new Random(world.seed, lane.standaloneCount, slot).poisson(perHour)
  const out: Lifecycle[] = []
  for (let i = 0; i < count; i++) {
    const random = new Random(world.seed, lane.standalone, slot, i)
    const issuedAt = slot * HOUR + Math.floor(random.float() * HOUR)
    const dueAt = issuedAt + Math.round(random.between(p.dueDays[0], p.dueDays[1])) * DAY
    const unitKey = random.weighted(p.units)
    const wardCode = random.weighted(world.places.wardWeights)
    const unit = unitKey === 'ward' ? world.wardUnit(wardCode) : unitKey
    const acceptedAt = issuedAt + Math.round(random.between(p.acceptMinutes[0], p.acceptMinutes[1]) * MINUTE)
    const late = random.chance(p.lateShare)
    const doneAt = late
      ? dueAt + Math.round(random.between(2, 30) * HOUR)
      : acceptedAt + Math.round((dueAt - acceptedAt) * random.between(0.4, 0.95))
    const halfwayAt = acceptedAt + Math.round((doneAt - acceptedAt) * random.between(0.3, 0.6))
    const [title, description] = random.pick(world.demo.texts.tasks)
    out.push(
      lifecycle(world, {
        ref: `${world.params.refPrefixes.tasks}-${local.stamp}-${String(i).padStart(2, '0')}`,
        title,
        description,
        unit,
        wardCode: unitKey === 'ward' ? wardCode : undefined,
        priority: random.chance(0.2) ? 'urgent' : 'normal',
        issuedAt,
        dueAt,
        steps: [acceptedAt, halfwayAt, doneAt],
      }),
    )
  }
  return out
}

type TaskPlan = {
  ref: string
  title: string
  description: string
  unit: string
  wardCode: string | undefined
  subject?: TaskSubject
  priority: 'normal' | 'urgent'
  issuedAt: number
  dueAt: number
  /** accepted, half-way (in progress, 50 %), done: strictly after issuedAt and each other. */
  steps: [number, number, number]
}

/** Versions of a task as its unit reports: assigned → accepted → in progress 50 % → done. */
function lifecycle(world: World, plan: TaskPlan): Lifecycle {
  const reports = world.demo.texts.taskReports
  const times = [plan.issuedAt, ...plan.steps]
  for (let k = 1; k < times.length; k++) times[k] = Math.max(times[k]!, times[k - 1]! + MINUTE)
  const versions = [
    { status: 'assigned', progress: 0 },
    { status: 'accepted', progress: 0, report: reports.accepted },
    { status: 'in_progress', progress: 50, report: reports.in_progress },
    { status: 'done', progress: 100, report: reports.done },
  ] as const
  const fixed = {
    source: world.params.sources.tasks,
    ref: plan.ref,
    title: plan.title,
    description: plan.description,
    unit: plan.unit,
    issuedBy: world.params.tasks.issuedBy,
    issuedAt: iso(plan.issuedAt),
    dueAt: iso(plan.dueAt),
    priority: plan.priority,
    ...(plan.subject ? { subject: plan.subject } : {}),
    ...(plan.wardCode ? { wardCode: plan.wardCode } : {}),
  }
  return {
    feed: 'tasks',
    times,
    render: (k) => ({
      ...fixed,
      ...versions[k],
      updatedAt: iso(times[k]!),
      ...(k === 3 ? { doneAt: iso(times[3]!) } : {}),
    }),
  }
}
