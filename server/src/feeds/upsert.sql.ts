import type { FeedName } from '@citydeck/shared'
import type postgres from 'postgres'
import type { Sql } from '../db/connection'
import type { Normalized } from './normalize'

/** A row the upsert wrote: new (`created`) or a newer version of a stored item. */
export type Written = { source: string; ref: string; created: boolean }

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
function itemRows(sql: Sql, batch: readonly Normalized[]) {
  const { lines, hashes } = shipped(batch)
  // Split into arrays (linear) and zipped by unnest: substr() by position would rescan the
  // UTF-8 text from its start for every row.
  return sql`
    select t.line::jsonb as j, t.content_hash, t.ord
    from unnest(string_to_array(${lines}::text, E'\n'), string_to_array(${hashes}::text, ' '))
      with ordinality as t(line, content_hash, ord)`
}

/** `x`: the batch's items (itemRows) as a FROM item. */
function itemsOf(sql: Sql, batch: readonly Normalized[]) {
  // `offset 0` keeps the subquery from being pulled up, which would parse each line again for
  // every column read from it.
  return sql`(${itemRows(sql, batch)} offset 0) as x`
}

function upsertTickets(sql: Sql, from: Fragment) {
  return sql`
    insert into tickets (source, ref, updated_at, category, title, description, lat, lng, address, ward_code,
      status, unit, received_at, due_at, resolved_at, closed_at, channel, reporter, media, content_hash)
    select j->>'source', j->>'ref', (j->>'updatedAt')::timestamptz, j->>'category', j->>'title',
      j->>'description', (j->'location'->>'lat')::float8, (j->'location'->>'lng')::float8, j->>'address',
      j->>'wardCode', j->>'status', j->>'unit', (j->>'receivedAt')::timestamptz, (j->>'dueAt')::timestamptz,
      (j->>'resolvedAt')::timestamptz, (j->>'closedAt')::timestamptz, j->>'channel', j->'reporter', j->'media',
      content_hash
    from ${from}
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

function upsertDossiers(sql: Sql, from: Fragment) {
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

function upsertSurveys(sql: Sql, from: Fragment) {
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

function upsertProcedures(sql: Sql, from: Fragment) {
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

type Fragment = postgres.PendingQuery<postgres.Row[]>
const upsertFragments: Record<FeedName, (sql: Sql, from: Fragment) => Fragment> = {
  tickets: upsertTickets,
  dossiers: upsertDossiers,
  surveys: upsertSurveys,
  procedures: upsertProcedures,
}

/** Upserts a batch (unique keys) of one feed; the change log is left to appendChanges. */
export function upsertItems(sql: Sql, feed: FeedName, batch: readonly Normalized[]): Promise<Written[]> {
  return sql<Written[]>`${upsertFragments[feed](sql, itemsOf(sql, batch))}`
}

/**
 * Upserts a batch (unique keys) of one feed AND appends its accepted changes to the change log,
 * in one statement, so a single-statement (autocommit) transaction: one round trip, one commit.
 * The change-log lock is taken only once the upsert has finished (it waits for the count of the
 * upserted rows), so this never holds the lock while waiting for another writer's row locks,
 * and it is held, as in appendChanges, until the commit.
 */
export async function upsertAndLog(
  sql: Sql,
  feed: FeedName,
  batch: readonly Normalized[],
): Promise<{ written: Written[]; lastSeq: number | null }> {
  const rows = await sql<(Written & { last_seq: number | null })[]>`
    with x as materialized (${itemRows(sql, batch)}),
    up as (${upsertFragments[feed](sql, sql`x`)}),
    locked as (
      select pg_advisory_xact_lock(hashtext('citydeck:change_log')) from (select count(*) from up) as n),
    added as (
      insert into change_log (feed, source, ref, op, ward_code, item)
      select ${feed}::text, up.source, up.ref, case when up.created then 'created' else 'updated' end,
        x.j->>'wardCode', x.j
      from up join x on x.j->>'source' = up.source and x.j->>'ref' = up.ref cross join locked
      order by x.ord
      returning seq)
    select up.source, up.ref, up.created, (select max(seq) from added) as last_seq from up`
  return {
    written: rows.map((r) => ({ source: r.source, ref: r.ref, created: r.created })),
    lastSeq: rows.length ? rows[0]!.last_seq : null,
  }
}

/**
 * A streamed batch's transaction keeps its accepted changes here, in order, until its commit
 * appends them to the change log (appendStagedChanges). A temporary table, dropped at commit:
 * nothing of it is seen by other sessions or written to the WAL.
 */
export async function createChangeStage(tx: Sql): Promise<void> {
  await tx`
    create temp table change_stage (ord bigint not null, feed text not null, source text not null,
      ref text not null, op text not null, ward_code text, item jsonb not null) on commit drop`
}

/** What one upsertAndStage statement accepted. */
export type Staged = { created: number; updated: number; wards: (string | null)[] }

/**
 * Upserts a batch (unique keys) of one feed and stages its accepted changes (see
 * createChangeStage), numbered from `firstOrd` in batch order, in one statement. Only counts
 * and the wards touched come back: the items stay in the database, parsed once.
 */
export async function upsertAndStage(
  tx: Sql,
  feed: FeedName,
  batch: readonly Normalized[],
  firstOrd: number,
): Promise<Staged> {
  const [row] = await tx<Staged[]>`
    with x as materialized (${itemRows(tx, batch)}),
    up as (${upsertFragments[feed](tx, tx`x`)}),
    staged as (
      insert into change_stage (ord, feed, source, ref, op, ward_code, item)
      select ${firstOrd}::bigint + x.ord, ${feed}::text, up.source, up.ref,
        case when up.created then 'created' else 'updated' end, x.j->>'wardCode', x.j
      from up join x on x.j->>'source' = up.source and x.j->>'ref' = up.ref
      returning op, ward_code)
    -- The wards as JSON: a text[] would bring a missing ward back as the string "NULL".
    select count(*) filter (where op = 'created')::int as created,
      count(*) filter (where op = 'updated')::int as updated,
      coalesce(json_agg(distinct ward_code), '[]') as wards
    from staged`
  return row!
}

/** Appends the staged changes to the change log in their order, under the change-log lock (see appendChanges). */
export async function appendStagedChanges(tx: Sql): Promise<number | null> {
  await tx`select pg_advisory_xact_lock(hashtext('citydeck:change_log'))`
  const [row] = await tx<{ last: number | null }[]>`
    with added as (
      insert into change_log (feed, source, ref, op, ward_code, item)
      select feed, source, ref, op, ward_code, item from change_stage order by ord
      returning seq)
    select max(seq) as last from added`
  return row!.last
}

/** One accepted change: the item as stored (`json`, in wire shape), and whether it was new. */
export type ChangeEntry = { feed: FeedName; created: boolean; json: string }

/**
 * Appends accepted changes to the change log, in the order given. The advisory lock, held to
 * commit, makes seq order equal commit order, so a reader that saw seq N never later finds an
 * N-1 appear. Rows travel as in the upserts; ward_code is the item's (derived) wardCode.
 */
export async function appendChanges(sql: Sql, entries: readonly ChangeEntry[]): Promise<number> {
  await sql`select pg_advisory_xact_lock(hashtext('citydeck:change_log'))`
  let last = 0
  for (let start = 0; start < entries.length; ) {
    const feed = entries[start]!.feed
    let end = start
    let lines = ''
    let ops = ''
    while (end < entries.length && entries[end]!.feed === feed) {
      const e = entries[end]!
      lines += end === start ? e.json : `\n${e.json}`
      ops += end === start ? (e.created ? 'c' : 'u') : e.created ? ' c' : ' u'
      end++
    }
    const [row] = await sql<{ last: number | null }[]>`
      with added as (
        insert into change_log (feed, source, ref, op, ward_code, item)
        select ${feed}::text, j->>'source', j->>'ref', case op when 'c' then 'created' else 'updated' end,
          j->>'wardCode', j
        from (select t.line::jsonb as j, t.op, t.ord
              from unnest(string_to_array(${lines}::text, E'\n'), string_to_array(${ops}::text, ' '))
                with ordinality as t(line, op, ord)
              offset 0) as x
        order by ord
        returning seq)
      select max(seq) as last from added`
    last = Math.max(last, row!.last ?? 0)
    start = end
  }
  return last
}
