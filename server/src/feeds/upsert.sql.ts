import type { Dossier, FeedName, Procedure, SurveyAnswer, Ticket } from '@citydeck/shared'
import type { Sql } from '../db/connection'
import type { Normalized } from './normalize'

/** A row the upsert wrote: new (`created`) or a newer version of a stored item. */
export type Written = { source: string; ref: string; created: boolean }

// Each statement inserts a batch (unique (source, ref) within it) from one JSON parameter and,
// on conflict, updates only when the incoming version is newer: a later updatedAt, or the same
// updatedAt with a larger content hash. Row locks taken by ON CONFLICT make concurrent writers
// of one item serialize, so no update is lost and no duplicate is created.

function ticketRows(batch: Normalized[]) {
  return batch.map(({ item, contentHash }) => {
    const t = item as Ticket
    return {
      source: t.source,
      ref: t.ref,
      updated_at: t.updatedAt,
      category: t.category,
      title: t.title,
      description: t.description ?? null,
      lat: t.location.lat,
      lng: t.location.lng,
      address: t.address ?? null,
      ward_code: t.wardCode,
      status: t.status,
      unit: t.unit ?? null,
      received_at: t.receivedAt,
      due_at: t.dueAt,
      resolved_at: t.resolvedAt ?? null,
      closed_at: t.closedAt ?? null,
      channel: t.channel ?? null,
      reporter: t.reporter ?? null,
      media: t.media ?? null,
      content_hash: contentHash,
    }
  })
}

function upsertTickets(sql: Sql, batch: Normalized[]) {
  return sql<Written[]>`
    insert into tickets (source, ref, updated_at, category, title, description, lat, lng, address, ward_code,
      status, unit, received_at, due_at, resolved_at, closed_at, channel, reporter, media, content_hash)
    select source, ref, updated_at, category, title, description, lat, lng, address, ward_code,
      status, unit, received_at, due_at, resolved_at, closed_at, channel, reporter, media, content_hash
    from jsonb_to_recordset(${sql.json(ticketRows(batch))}::jsonb) as x(source text, ref text,
      updated_at timestamptz, category text, title text, description text, lat float8, lng float8, address text,
      ward_code text, status text, unit text, received_at timestamptz, due_at timestamptz, resolved_at timestamptz,
      closed_at timestamptz, channel text, reporter jsonb, media jsonb, content_hash text)
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, category = excluded.category, title = excluded.title,
      description = excluded.description, lat = excluded.lat, lng = excluded.lng, address = excluded.address,
      ward_code = excluded.ward_code, status = excluded.status, unit = excluded.unit,
      received_at = excluded.received_at, due_at = excluded.due_at, resolved_at = excluded.resolved_at,
      closed_at = excluded.closed_at, channel = excluded.channel, reporter = excluded.reporter,
      media = excluded.media, content_hash = excluded.content_hash, ingested_at = now()
    where (tickets.updated_at, tickets.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

function upsertDossiers(sql: Sql, batch: Normalized[]) {
  const rows = batch.map(({ item, contentHash }) => {
    const d = item as Dossier
    return {
      source: d.source,
      ref: d.ref,
      updated_at: d.updatedAt,
      procedure_code: d.procedureCode,
      channel: d.channel,
      status: d.status,
      received_at: d.receivedAt,
      due_at: d.dueAt,
      finished_at: d.finishedAt ?? null,
      unit: d.unit ?? null,
      ward_code: d.wardCode ?? null,
      digitized_input: d.digitizedInput ?? null,
      digitized_result: d.digitizedResult ?? null,
      paid_online: d.paidOnline ?? null,
      supplement_requests: d.supplementRequests ?? null,
      content_hash: contentHash,
    }
  })
  return sql<Written[]>`
    insert into dossiers (source, ref, updated_at, procedure_code, channel, status, received_at, due_at,
      finished_at, unit, ward_code, digitized_input, digitized_result, paid_online, supplement_requests, content_hash)
    select * from jsonb_to_recordset(${sql.json(rows)}::jsonb) as x(source text, ref text, updated_at timestamptz,
      procedure_code text, channel text, status text, received_at timestamptz, due_at timestamptz,
      finished_at timestamptz, unit text, ward_code text, digitized_input boolean, digitized_result boolean,
      paid_online boolean, supplement_requests integer, content_hash text)
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, procedure_code = excluded.procedure_code, channel = excluded.channel,
      status = excluded.status, received_at = excluded.received_at, due_at = excluded.due_at,
      finished_at = excluded.finished_at, unit = excluded.unit, ward_code = excluded.ward_code,
      digitized_input = excluded.digitized_input, digitized_result = excluded.digitized_result,
      paid_online = excluded.paid_online, supplement_requests = excluded.supplement_requests,
      content_hash = excluded.content_hash, ingested_at = now()
    where (dossiers.updated_at, dossiers.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

function upsertSurveys(sql: Sql, batch: Normalized[]) {
  const rows = batch.map(({ item, contentHash }) => {
    const s = item as SurveyAnswer
    return {
      source: s.source,
      ref: s.ref,
      updated_at: s.updatedAt,
      submitted_at: s.submittedAt,
      score: s.score,
      subject_kind: s.subject?.kind ?? null,
      subject_source: s.subject?.source ?? null,
      subject_ref: s.subject?.ref ?? null,
      unit: s.unit ?? null,
      ward_code: s.wardCode ?? null,
      comment: s.comment ?? null,
      content_hash: contentHash,
    }
  })
  return sql<Written[]>`
    insert into survey_answers (source, ref, updated_at, submitted_at, score, subject_kind, subject_source,
      subject_ref, unit, ward_code, comment, content_hash)
    select * from jsonb_to_recordset(${sql.json(rows)}::jsonb) as x(source text, ref text, updated_at timestamptz,
      submitted_at timestamptz, score smallint, subject_kind text, subject_source text, subject_ref text,
      unit text, ward_code text, comment text, content_hash text)
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, submitted_at = excluded.submitted_at, score = excluded.score,
      subject_kind = excluded.subject_kind, subject_source = excluded.subject_source,
      subject_ref = excluded.subject_ref, unit = excluded.unit, ward_code = excluded.ward_code,
      comment = excluded.comment, content_hash = excluded.content_hash, ingested_at = now()
    where (survey_answers.updated_at, survey_answers.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

function upsertProcedures(sql: Sql, batch: Normalized[]) {
  const rows = batch.map(({ item, contentHash }) => {
    const p = item as Procedure
    return {
      source: p.source,
      ref: p.ref,
      updated_at: p.updatedAt,
      code: p.code,
      name: p.name,
      field: p.field,
      level: p.level,
      provincial_portal: p.provincialPortal,
      national_portal: p.nationalPortal,
      fee_bearing: p.feeBearing,
      unit: p.unit ?? null,
      content_hash: contentHash,
    }
  })
  return sql<Written[]>`
    insert into procedures (source, ref, updated_at, code, name, field, level, provincial_portal,
      national_portal, fee_bearing, unit, content_hash)
    select * from jsonb_to_recordset(${sql.json(rows)}::jsonb) as x(source text, ref text, updated_at timestamptz,
      code text, name text, field text, level text, provincial_portal boolean, national_portal boolean,
      fee_bearing boolean, unit text, content_hash text)
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, code = excluded.code, name = excluded.name, field = excluded.field,
      level = excluded.level, provincial_portal = excluded.provincial_portal,
      national_portal = excluded.national_portal, fee_bearing = excluded.fee_bearing, unit = excluded.unit,
      content_hash = excluded.content_hash, ingested_at = now()
    where (procedures.updated_at, procedures.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

export const upsertByFeed: Record<FeedName, (sql: Sql, batch: Normalized[]) => Promise<Written[]>> = {
  tickets: upsertTickets,
  dossiers: upsertDossiers,
  surveys: upsertSurveys,
  procedures: upsertProcedures,
}

export type ChangeEntry = {
  feed: FeedName
  source: string
  ref: string
  op: 'created' | 'updated'
  ward_code: string | null
  item: unknown
}

/**
 * Appends accepted changes to the change log. The advisory lock, held to commit, makes seq
 * order equal commit order, so a reader that saw seq N never later finds an N-1 appear.
 */
export async function appendChanges(sql: Sql, entries: ChangeEntry[]): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtext('citydeck:change_log'))`
  const [row] = await sql<{ last: number | null }[]>`
    with added as (
      insert into change_log (feed, source, ref, op, ward_code, item)
      select feed, source, ref, op, ward_code, item
      from jsonb_to_recordset(${sql.json(entries.map((e, ord) => ({ ...e, ord })) as never)}::jsonb)
        as x(feed text, source text, ref text, op text, ward_code text, item jsonb, ord int)
      order by ord
      returning seq)
    select max(seq) as last from added`
  return row!.last ?? 0
}
