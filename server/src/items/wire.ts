import type { Dossier, ItemVersion, SurveyAnswer, Ticket } from '@citydeck/shared'

// Rows of the feed tables back to the wire shape of docs/design.md §2 (camelCase, ISO UTC times,
// absent optional fields left out rather than null).

type Row = Record<string, unknown>
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : (v as string))
const opt = <T>(v: unknown, f: (x: unknown) => T = (x) => x as T): T | undefined =>
  v === null || v === undefined ? undefined : f(v)
function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined) delete o[k]
  return o
}

export function ticketFromRow(r: Row): Ticket {
  return compact({
    source: r.source as string,
    ref: r.ref as string,
    updatedAt: iso(r.updated_at),
    category: r.category as string,
    title: r.title as string,
    description: opt<string>(r.description),
    location: r.lat === null ? undefined : { lat: r.lat as number, lng: r.lng as number },
    address: opt<string>(r.address),
    wardCode: (r.ward_code as string | null) ?? null,
    status: r.status as Ticket['status'],
    unit: opt<string>(r.unit),
    receivedAt: iso(r.received_at),
    dueAt: iso(r.due_at),
    resolvedAt: opt(r.resolved_at, iso),
    closedAt: opt(r.closed_at, iso),
    channel: opt<Ticket['channel']>(r.channel),
    reporter: opt<Ticket['reporter']>(r.reporter),
    media: opt<string[]>(r.media),
    attributes: opt<Record<string, string>>(r.attributes),
  })
}

export function dossierFromRow(r: Row): Dossier {
  return compact({
    source: r.source as string,
    ref: r.ref as string,
    updatedAt: iso(r.updated_at),
    procedureCode: r.procedure_code as string,
    channel: r.channel as Dossier['channel'],
    status: r.status as Dossier['status'],
    receivedAt: iso(r.received_at),
    dueAt: iso(r.due_at),
    finishedAt: opt(r.finished_at, iso),
    unit: opt<string>(r.unit),
    wardCode: opt<string>(r.ward_code),
    digitizedInput: opt<boolean>(r.digitized_input),
    digitizedResult: opt<boolean>(r.digitized_result),
    paidOnline: opt<boolean>(r.paid_online),
    supplementRequests: opt<number>(r.supplement_requests),
  })
}

export function surveyFromRow(r: Row): SurveyAnswer {
  return compact({
    source: r.source as string,
    ref: r.ref as string,
    updatedAt: iso(r.updated_at),
    submittedAt: iso(r.submitted_at),
    score: r.score as number,
    subject: r.subject_kind
      ? {
          kind: r.subject_kind as 'ticket' | 'dossier',
          source: r.subject_source as string,
          ref: r.subject_ref as string,
        }
      : undefined,
    unit: opt<string>(r.unit),
    wardCode: opt<string>(r.ward_code),
    comment: opt<string>(r.comment),
  })
}

export function versionFromRow(r: Row): ItemVersion {
  const item = r.item as Record<string, unknown>
  return {
    seq: r.seq as number,
    changedAt: iso(r.changed_at),
    op: r.op as ItemVersion['op'],
    updatedAt: item.updatedAt as string,
    status: item.status as string,
    unit: (item.unit as string | undefined) ?? null,
  }
}
