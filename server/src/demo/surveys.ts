import { iso } from './calendar'
import type { Random } from './random'
import type { Lifecycle, World } from './world'

/** A satisfaction answer about a resolved ticket or a finished dossier, submitted once. */
export function surveyAbout(
  world: World,
  random: Random,
  subject: {
    kind: 'ticket' | 'dossier'
    source: string
    ref: string
    unit: string
    wardCode: string
    late: boolean
  },
  finishedAt: number,
): Lifecycle {
  const p = world.params.surveys
  const submittedAt = Math.round(finishedAt + random.between(p.delayHours[0], p.delayHours[1]) * 3_600_000)
  const satisfiedShare = Math.min(
    0.99,
    Math.max(
      0.3,
      p.satisfiedShare + world.unit(subject.unit).satisfaction - (subject.late ? p.lateTicketPenalty : 0),
    ),
  )
  const satisfied = random.chance(satisfiedShare)
  const score = satisfied
    ? random.chance(p.fiveShareOfSatisfied)
      ? 5
      : 4
    : random.weighted({ 3: 0.55, 2: 0.27, 1: 0.18 })
  const comments = world.demo.texts.surveyComments
  const comment = random.chance(p.commentShare)
    ? random.pick(satisfied ? comments.satisfied : comments.unsatisfied)
    : undefined
  const item = {
    source: world.params.sources.surveys,
    ref: `${world.params.refPrefixes.surveys}-${subject.ref}`,
    updatedAt: iso(submittedAt),
    submittedAt: iso(submittedAt),
    score: Number(score),
    subject: { kind: subject.kind, source: subject.source, ref: subject.ref },
    unit: subject.unit,
    wardCode: subject.wardCode,
    ...(comment ? { comment } : {}),
  }
  return { feed: 'surveys', times: [submittedAt], render: () => item }
}
