import type { FeedName } from '@citydeck/shared'
import { appendAcceptedCtes, stageAcceptedCtes } from '../changelog/changelog.sql'
import type { Fragment, Queryable } from '../db/connection'
import type { Normalized } from './normalize'

// Each statement upserts a batch (unique (source, ref) within it) and, on conflict, updates only
// when the incoming version is newer: a later updatedAt, or the same updatedAt with a larger
// content hash. Row locks taken by ON CONFLICT make concurrent writers of one item serialize,
// so no update is lost and no duplicate is created.
//
// How rows travel: each item's JSON text (already made once for its content hash) joined by
// newlines (JSON.stringify never emits a raw newline), split by string_to_table and parsed one
// small document at a time; columns are read from the parsed item. This is several times
// cheaper for PostgreSQL than one large jsonb document of row objects (jsonb input of a
// multi-megabyte array is slow, and jsonb_to_recordset converts nested values through text),
// and the client builds no per-row objects.

/** The batch's items as newline-separated JSON, and their hashes space-separated. */
function shipped(batch: readonly Normalized[]) {
  let lines = ''
  let hashes = ''
  for (let i = 0; i < batch.length; i++) {
    const n = batch[i]!
    lines += i === 0 ? n.json : `\n${n.json}`
    hashes += i === 0 ? n.contentHash : ` ${n.contentHash}`
  }
  return { lines, hashes }
}

/** `j jsonb, content_hash text, ord bigint`: one row per item of the batch, numbered in order. */
function itemRows(sql: Queryable, batch: readonly Normalized[]) {
  const { lines, hashes } = shipped(batch)
  // Split into arrays (linear) and zipped by unnest: substr() by position would rescan the
  // UTF-8 text from its start for every row.
  return sql`
    select t.line::jsonb as j, t.content_hash, t.ord
    from unnest(string_to_array(${lines}::text, E'\n'), string_to_array(${hashes}::text, ' '))
      with ordinality as t(line, content_hash, ord)`
}

function upsertTickets(sql: Queryable, from: Fragment) {
  return sql`
    insert into tickets (source, ref, updated_at, category, title, description, lat, lng, address, ward_code,
      status, unit, received_at, due_at, resolved_at, closed_at, channel, reporter, media, attributes, content_hash)
    select j->>'source', j->>'ref', (j->>'updatedAt')::timestamptz, j->>'category', j->>'title',
      j->>'description', (j->'location'->>'lat')::float8, (j->'location'->>'lng')::float8, j->>'address',
      j->>'wardCode', j->>'status', j->>'unit', (j->>'receivedAt')::timestamptz, (j->>'dueAt')::timestamptz,
      (j->>'resolvedAt')::timestamptz, (j->>'closedAt')::timestamptz, j->>'channel', j->'reporter', j->'media',
      j->'attributes', content_hash
    from ${from}
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, category = excluded.category, title = excluded.title,
      description = excluded.description, lat = excluded.lat, lng = excluded.lng, address = excluded.address,
      ward_code = excluded.ward_code, status = excluded.status, unit = excluded.unit,
      received_at = excluded.received_at, due_at = excluded.due_at, resolved_at = excluded.resolved_at,
      closed_at = excluded.closed_at, channel = excluded.channel, reporter = excluded.reporter,
      media = excluded.media, attributes = excluded.attributes, content_hash = excluded.content_hash,
      ingested_at = now()
    where (tickets.updated_at, tickets.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

function upsertDossiers(sql: Queryable, from: Fragment) {
  return sql`
    insert into dossiers (source, ref, updated_at, procedure_code, channel, status, received_at, due_at,
      finished_at, unit, ward_code, digitized_input, digitized_result, paid_online, supplement_requests, content_hash)
    select j->>'source', j->>'ref', (j->>'updatedAt')::timestamptz, j->>'procedureCode', j->>'channel',
      j->>'status', (j->>'receivedAt')::timestamptz, (j->>'dueAt')::timestamptz,
      (j->>'finishedAt')::timestamptz, j->>'unit', j->>'wardCode', (j->>'digitizedInput')::boolean,
      (j->>'digitizedResult')::boolean, (j->>'paidOnline')::boolean, (j->>'supplementRequests')::integer,
      content_hash
    from ${from}
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

function upsertSurveys(sql: Queryable, from: Fragment) {
  return sql`
    insert into survey_answers (source, ref, updated_at, submitted_at, score, subject_kind, subject_source,
      subject_ref, unit, ward_code, comment, content_hash)
    select j->>'source', j->>'ref', (j->>'updatedAt')::timestamptz, (j->>'submittedAt')::timestamptz,
      (j->>'score')::smallint, j->'subject'->>'kind', j->'subject'->>'source', j->'subject'->>'ref',
      j->>'unit', j->>'wardCode', j->>'comment', content_hash
    from ${from}
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, submitted_at = excluded.submitted_at, score = excluded.score,
      subject_kind = excluded.subject_kind, subject_source = excluded.subject_source,
      subject_ref = excluded.subject_ref, unit = excluded.unit, ward_code = excluded.ward_code,
      comment = excluded.comment, content_hash = excluded.content_hash, ingested_at = now()
    where (survey_answers.updated_at, survey_answers.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

function upsertProcedures(sql: Queryable, from: Fragment) {
  return sql`
    insert into procedures (source, ref, updated_at, code, name, field, level, provincial_portal,
      national_portal, fee_bearing, unit, content_hash)
    select j->>'source', j->>'ref', (j->>'updatedAt')::timestamptz, j->>'code', j->>'name', j->>'field',
      j->>'level', (j->>'provincialPortal')::boolean, (j->>'nationalPortal')::boolean,
      (j->>'feeBearing')::boolean, j->>'unit', content_hash
    from ${from}
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, code = excluded.code, name = excluded.name, field = excluded.field,
      level = excluded.level, provincial_portal = excluded.provincial_portal,
      national_portal = excluded.national_portal, fee_bearing = excluded.fee_bearing, unit = excluded.unit,
      content_hash = excluded.content_hash, ingested_at = now()
    where (procedures.updated_at, procedures.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

function upsertTasks(sql: Queryable, from: Fragment) {
  return sql`
    insert into tasks (source, ref, updated_at, title, description, unit, issued_by, issued_at, due_at, status,
      progress, done_at, report, priority, subject_kind, subject_source, subject_ref, ward_code, content_hash)
    select j->>'source', j->>'ref', (j->>'updatedAt')::timestamptz, j->>'title', j->>'description', j->>'unit',
      j->>'issuedBy', (j->>'issuedAt')::timestamptz, (j->>'dueAt')::timestamptz, j->>'status',
      (j->>'progress')::smallint, (j->>'doneAt')::timestamptz, j->>'report', j->>'priority',
      j->'subject'->>'kind', j->'subject'->>'source', j->'subject'->>'ref', j->>'wardCode', content_hash
    from ${from}
    on conflict (source, ref) do update set
      updated_at = excluded.updated_at, title = excluded.title, description = excluded.description,
      unit = excluded.unit, issued_by = excluded.issued_by, issued_at = excluded.issued_at,
      due_at = excluded.due_at, status = excluded.status, progress = excluded.progress,
      done_at = excluded.done_at, report = excluded.report, priority = excluded.priority,
      subject_kind = excluded.subject_kind, subject_source = excluded.subject_source,
      subject_ref = excluded.subject_ref, ward_code = excluded.ward_code,
      content_hash = excluded.content_hash, ingested_at = now()
    where (tasks.updated_at, tasks.content_hash) < (excluded.updated_at, excluded.content_hash)
    returning source, ref, (xmax = 0) as created`
}

const upsertFragments: Record<FeedName, (sql: Queryable, from: Fragment) => Fragment> = {
  tickets: upsertTickets,
  dossiers: upsertDossiers,
  surveys: upsertSurveys,
  procedures: upsertProcedures,
  tasks: upsertTasks,
}

/**
 * A task without a wardCode takes its subject's (docs/design.md §9), looked up here, in the statement
 * that stores it, so the stored row, the change log and the live stream all carry it.
 */
function withSubjectWards(sql: Queryable, feed: FeedName, rows: Fragment): Fragment {
  if (feed !== 'tasks') return rows
  return sql`
    select case when r.j ? 'wardCode' or r.j->'subject' is null then r.j
      else r.j || jsonb_build_object('wardCode', coalesce(
        (select t.ward_code from tickets t where r.j->'subject'->>'kind' = 'ticket'
           and t.source = r.j->'subject'->>'source' and t.ref = r.j->'subject'->>'ref'),
        (select d.ward_code from dossiers d where r.j->'subject'->>'kind' = 'dossier'
           and d.source = r.j->'subject'->>'source' and d.ref = r.j->'subject'->>'ref')))
      end as j, r.content_hash, r.ord
    from (${rows}) as r`
}

/**
 * The CTEs every write statement starts with: `x`, the batch's items; `up`, the upsert of one
 * feed's batch (unique keys) returning what it wrote; `accepted`, those rows as change-log rows
 * in batch order (what changelog.sql.ts appends or stages).
 */
function upsertCtes(sql: Queryable, feed: FeedName, batch: readonly Normalized[]): Fragment {
  return sql`
    x as materialized (${withSubjectWards(sql, feed, itemRows(sql, batch))}),
    up as (${upsertFragments[feed](sql, sql`x`)}),
    accepted as (
      select up.source, up.ref, case when up.created then 'created' else 'updated' end as op,
        x.j->>'wardCode' as ward_code, x.j as item, x.ord
      from up join x on x.j->>'source' = up.source and x.j->>'ref' = up.ref)`
}

/** Positions (0-based, in batch order) of the items a statement created and updated; the rest were ignored. */
export type Written = { created: number[]; updated: number[] }

/**
 * Upserts a batch (unique keys) of one feed AND appends its accepted changes to the change log
 * in ONE statement, so a single-statement (autocommit) transaction: one round trip, one commit.
 */
export async function upsertAndAppend(
  sql: Queryable,
  feed: FeedName,
  batch: readonly Normalized[],
): Promise<Written & { lastSeq: number | null }> {
  const [row] = await sql<(Written & { lastSeq: number | null })[]>`
    with ${upsertCtes(sql, feed, batch)}, ${appendAcceptedCtes(sql, feed)}
    ${writtenPositions(sql)}, (select max(seq) from added) as "lastSeq"
    from accepted`
  return row!
}

/**
 * Upserts a batch (unique keys) of one feed and stages its accepted changes (changelog
 * createStage), numbered from `firstOrd` in batch order, in one statement. Only positions come
 * back: the items stay in the database, parsed once.
 */
export async function upsertAndStage(
  tx: Queryable,
  feed: FeedName,
  batch: readonly Normalized[],
  firstOrd: number,
): Promise<Written> {
  const [row] = await tx<Written[]>`
    with ${upsertCtes(tx, feed, batch)}, ${stageAcceptedCtes(tx, feed, firstOrd)}
    ${writtenPositions(tx)}
    from staged`
  return row!
}

/** `select created, updated`: the 0-based positions of the rows (`ord` 1-based, `op`) of `accepted` or `staged`. */
function writtenPositions(sql: Queryable) {
  return sql`
    select coalesce(array_agg(ord - 1) filter (where op = 'created'), '{}')::int[] as created,
      coalesce(array_agg(ord - 1) filter (where op = 'updated'), '{}')::int[] as updated`
}
