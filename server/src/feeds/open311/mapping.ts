import type { CityProfile, Ticket } from '@citydeck/shared'
import { redactItem } from '@citydeck/shared/redact'

// How tickets look through GeoReport v2 (docs/design.md §2): service_code = category, status
// open/closed, expected_datetime = dueAt, agency_responsible = unit, lat/long, media_url.

/** W3C date-time as GeoReport writes it: UTC, whole seconds. */
export const w3c = (iso: string | Date) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z')

export function services(profile: CityProfile) {
  return profile.categories.map((c) => ({
    service_code: c.code,
    service_name: c.name,
    description: `${c.nameEn}: resolved within ${c.slaHours} hours`,
    metadata: false,
    type: 'realtime',
    keywords: c.nameEn,
    group: c.group ?? c.name,
  }))
}

/** `<source>:<ref>`, the item id of docs/design.md §4; split at the first colon. */
export const requestId = (t: { source: string; ref: string }) => `${t.source}:${t.ref}`
export function parseRequestId(id: string): { source: string; ref: string } | null {
  const at = id.indexOf(':')
  return at > 0 && at < id.length - 1 ? { source: id.slice(0, at), ref: id.slice(at + 1) } : null
}

const isClosed = (t: Ticket) => !!(t.resolvedAt || t.closedAt || t.status === 'rejected')

/**
 * A ticket as a GeoReport service request. Open311 reads are public (docs/design.md §5): the reporter is
 * never in them and phone numbers or e-mail addresses typed into free text are masked.
 */
export function serviceRequest(ticket: Ticket, profile: CityProfile) {
  const t = redactItem(ticket)
  const category = profile.categories.find((c) => c.code === t.category)
  return {
    service_request_id: requestId(t),
    status: isClosed(t) ? 'closed' : 'open',
    status_notes: t.status,
    service_name: category?.name ?? t.category,
    service_code: t.category,
    description: t.description ?? t.title,
    agency_responsible: t.unit ?? null,
    service_notice: null,
    requested_datetime: w3c(t.receivedAt),
    updated_datetime: w3c(t.updatedAt),
    expected_datetime: w3c(t.dueAt),
    address: t.address ?? null,
    address_id: null,
    zipcode: null,
    lat: t.location?.lat ?? null,
    long: t.location?.lng ?? null,
    media_url: t.media?.[0] ?? null,
  }
}

/** FixMyStreet's update statuses (lower case, as its Open311 endpoints send them). */
export const fmsStatus: Record<Ticket['status'], string> = {
  received: 'open',
  assigned: 'action_scheduled',
  in_progress: 'in_progress',
  resolved: 'fixed',
  closed: 'closed',
  rejected: 'no_further_action',
}

const openStatuses: ReadonlySet<Ticket['status']> = new Set(['received', 'assigned', 'in_progress'])

/**
 * What a FixMyStreet update (docs/design.md §2) does to a ticket, as FixMyStreet means it:
 * - `OPEN` (sent in its default basic-status mode with every comment on an open report), and
 *   `REOPEN`, `INVESTIGATING`, `FOR_TRIAGE`, never move an open ticket back: it keeps its state;
 *   only a closed or resolved one is reopened (to received, its closing times cleared);
 * - `CLOSED` (how basic mode sends a fixed report) and `FIXED` resolve it: resolvedAt is set, so
 *   it counts in tickets.resolved; `DUPLICATE`, `NOT_COUNCILS_RESPONSIBILITY` and
 *   `INTERNAL_REFERRAL` close it without resolving; `NO_FURTHER_ACTION` rejects it;
 * - the extended states `ACTION_SCHEDULED`/`PLANNED` and `IN_PROGRESS` set those states;
 * - an absent or unknown status leaves the ticket's status alone (a comment only).
 */
export function applyFmsUpdate(current: Ticket, sent: string | undefined, at: string): Ticket {
  const next: Ticket = { ...current, updatedAt: at }
  const wasClosed = isClosed(current)
  const reopen = () => {
    next.status = 'received'
    delete next.resolvedAt
    delete next.closedAt
  }
  const moveOpen = (status: Ticket['status']) => {
    next.status = status
    delete next.resolvedAt
    delete next.closedAt
  }
  switch ((sent ?? '').toLowerCase()) {
    case 'open':
    case 'reopen':
    case 'investigating':
    case 'for_triage':
      if (wasClosed) reopen()
      else if (!openStatuses.has(current.status)) next.status = 'received'
      break
    case 'action_scheduled':
    case 'planned':
      moveOpen('assigned')
      break
    case 'in_progress':
      moveOpen('in_progress')
      break
    case 'fixed':
      next.status = 'resolved'
      next.resolvedAt ??= at
      break
    case 'closed':
      next.status = 'closed'
      next.resolvedAt ??= at
      next.closedAt ??= at
      break
    case 'duplicate':
    case 'not_councils_responsibility':
    case 'internal_referral':
      next.status = 'closed'
      next.closedAt ??= at
      break
    case 'no_further_action':
      next.status = 'rejected'
      break
  }
  return next
}

/** The GeoReport parameter a ticket field came from, so a refusal names what the client sent. */
const paramOfField: Record<string, string> = {
  category: 'service_code',
  'location.lat': 'lat',
  'location.lng': 'long',
  location: 'lat',
  address: 'address_string',
  title: 'description',
  description: 'description',
  'reporter.name': 'first_name',
  'reporter.email': 'email',
  'reporter.phone': 'phone',
  media: 'media_url',
  updatedAt: 'updated_datetime',
  resolvedAt: 'updated_datetime',
  closedAt: 'updated_datetime',
  status: 'status',
  attributes: 'attribute[…]',
}

/** An ingest rejection (`field`: `message`) said in GeoReport's terms: `long: Too big: …`. */
export function georeportRejection(rejected: { field: string; message: string }): string {
  const param = paramOfField[rejected.field] ?? paramOfField[rejected.field.split('.')[0]!]
  if (!param) return rejected.message
  const reason = rejected.message.startsWith(`${rejected.field}: `)
    ? rejected.message.slice(rejected.field.length + 2)
    : rejected.message
  return `${param}: ${reason}`
}
