import { hash } from 'node:crypto'
import {
  type CityProfile,
  type Dossier,
  type FeedName,
  feedSchemas,
  isStorableText,
  type Procedure,
  type SurveyAnswer,
  type Task,
  type Ticket,
  type TicketInput,
} from '@citydeck/shared'
import type { WardLocator } from './wards'

/** Why an item was not accepted: `malformed` (not an object), `invalid` (a field), `forbidden` (another source). */
export type Rejection = {
  index: number
  kind: 'malformed' | 'invalid' | 'forbidden'
  field: string
  message: string
}
export type Warning = { index: number; field: string; message: string }

export type Normalized = {
  source: string
  ref: string
  updatedAt: string
  wardCode: string | null
  /**
   * The item as stored and published, in wire shape, derived fields filled in, as JSON (absent
   * fields left out): what is hashed, stored and logged. Only the text is kept: a batch holds
   * its items until its commit, and strings cost the garbage collector far less than objects.
   */
  json: string
  /** SHA-256 of `json`, hex. Ties between two versions with the same updatedAt go to the larger hash. */
  contentHash: string
}

export type NormalizeContext = { profile: CityProfile; locateWard: WardLocator; source?: string }
type Outcome =
  | { ok: true; value: Normalized; warning?: Omit<Warning, 'index'> }
  | { ok: false; rejection: Omit<Rejection, 'index'> }

const iso = (value: string) => new Date(value).toISOString()

/** Validates one raw item with the shared schema and the city profile, and derives its fields. */
export function normalizeItem(feed: FeedName, raw: unknown, ctx: NormalizeContext): Outcome {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return {
      ok: false,
      rejection: { kind: 'malformed', field: '', message: 'each item must be a JSON object' },
    }
  }
  const parsed = feedSchemas[feed].safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const field = issue.path.map(String).join('.')
    return {
      ok: false,
      rejection: { kind: 'invalid', field, message: `${field || 'item'}: ${issue.message}` },
    }
  }
  const data = parsed.data
  if (ctx.source !== undefined && data.source !== ctx.source) {
    return {
      ok: false,
      rejection: {
        kind: 'forbidden',
        field: 'source',
        message: `this key may only send source "${ctx.source}"`,
      },
    }
  }
  const knownWard = (code: string | undefined) =>
    code === undefined || ctx.profile.wards.some((w) => w.code === code)
  if ('wardCode' in data && !knownWard(data.wardCode)) {
    return {
      ok: false,
      rejection: {
        kind: 'invalid',
        field: 'wardCode',
        message: `wardCode: ${data.wardCode} is not a ward of ${ctx.profile.name}`,
      },
    }
  }
  // `data` is zod's output, a fresh object of ours: it is normalized in place. (A spread copy
  // cost more than all the rest of an item's normalization.) Fields keep their places; derived
  // ones are added at the end, so an item's JSON, and with it its content hash, stays the same.
  switch (feed) {
    case 'tickets':
      return normalizeTicket(data as TicketInput, ctx)
    case 'dossiers': {
      const d = data as Dossier
      d.updatedAt = iso(d.updatedAt)
      d.receivedAt = iso(d.receivedAt)
      d.dueAt = iso(d.dueAt)
      if (d.finishedAt !== undefined) d.finishedAt = iso(d.finishedAt)
      return done(d, d.wardCode ?? null)
    }
    case 'surveys': {
      const s = data as SurveyAnswer
      s.updatedAt = iso(s.updatedAt)
      s.submittedAt = iso(s.submittedAt)
      return done(s, s.wardCode ?? null)
    }
    case 'procedures': {
      const p = data as Procedure
      p.updatedAt = iso(p.updatedAt)
      return done(p, null)
    }
    case 'tasks': {
      const t = data as Task
      t.updatedAt = iso(t.updatedAt)
      t.issuedAt = iso(t.issuedAt)
      t.dueAt = iso(t.dueAt)
      if (t.doneAt !== undefined) t.doneAt = iso(t.doneAt)
      // A task reported done without a time was done when that version was written.
      else if (t.status === 'done') t.doneAt = t.updatedAt
      // A missing wardCode is taken from the subject when the task is stored (upsert.sql.ts).
      return done(t, t.wardCode ?? null)
    }
  }
}

function normalizeTicket(t: TicketInput, ctx: NormalizeContext): Outcome {
  const category = ctx.profile.categories.find((c) => c.code === t.category)
  if (!category) {
    const known = ctx.profile.categories.map((c) => c.code).join(', ')
    return {
      ok: false,
      rejection: {
        kind: 'invalid',
        field: 'category',
        message: `category: ${t.category} is not one of ${known}`,
      },
    }
  }
  // docs/design.md §2: a ticket has a point. GeoReport v2 lets a report give only its address
  // (`address_string`), so one that came through Open311 may; the JSON feed and CSV may not.
  const addressOnly = t.channel === 'open311' && !!t.address?.trim()
  if (!t.location && !addressOnly) {
    return {
      ok: false,
      rejection: {
        kind: 'invalid',
        field: 'location',
        message:
          t.channel === 'open311'
            ? 'location: required unless an address is given'
            : 'location: required ({"lat": 10.93, "lng": 108.1})',
      },
    }
  }
  let warning: Omit<Warning, 'index'> | undefined
  let wardCode = t.wardCode ?? null
  if (!wardCode && !t.location) {
    warning = { field: 'location', message: 'no location, only an address: stored without a ward' }
  } else if (!wardCode && t.location) {
    const match = ctx.locateWard(t.location.lat, t.location.lng)
    wardCode = match.wardCode
    if (match.how === 'outside') {
      warning = { field: 'location', message: 'location is outside the city: stored without a ward' }
    }
  }
  const receivedAt = iso(t.receivedAt)
  const dueAt = t.dueAt
    ? iso(t.dueAt)
    : new Date(
        Date.parse(receivedAt) + (category.slaHours ?? ctx.profile.defaultSlaHours) * 3600_000,
      ).toISOString()
  const item = t as Ticket
  item.updatedAt = iso(t.updatedAt)
  item.receivedAt = receivedAt
  item.dueAt = dueAt
  item.wardCode = wardCode
  if (t.resolvedAt !== undefined) item.resolvedAt = iso(t.resolvedAt)
  if (t.closedAt !== undefined) item.closedAt = iso(t.closedAt)
  const outcome = done(item, wardCode)
  return warning && outcome.ok ? { ...outcome, warning } : outcome
}

function done(item: Ticket | Dossier | SurveyAnswer | Procedure | Task, wardCode: string | null): Outcome {
  // JSON.stringify leaves out undefined fields, so this is the text of the item as stored.
  const json = JSON.stringify(item)
  // PostgreSQL cannot store U+0000 or a lone surrogate (JSON.stringify writes both as \u escapes):
  // refuse them here, naming the field, rather than fail the write.
  const bad = json.includes('\\u') ? pathOfUnstorable(item) : null
  if (bad !== null) {
    return {
      ok: false,
      rejection: {
        kind: 'invalid',
        field: bad,
        message: `${bad || 'item'}: must not contain the NUL character or a lone UTF-16 surrogate`,
      },
    }
  }
  // The one-shot hash: a Hash object per item costs more than hashing its few hundred bytes.
  const contentHash = hash('sha256', json, 'hex')
  return {
    ok: true,
    value: {
      source: item.source,
      ref: item.ref,
      updatedAt: item.updatedAt,
      wardCode,
      json,
      contentHash,
    },
  }
}

/** The dotted path of the first string (value or key) PostgreSQL cannot store, or null. */
function pathOfUnstorable(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path.join('.')
  if (typeof value !== 'object' || value === null) return null
  for (const [key, inner] of Object.entries(value)) {
    if (!isStorableText(key)) return [...path, key].join('.')
    const found = pathOfUnstorable(inner, [...path, key])
    if (found !== null) return found
  }
  return null
}
