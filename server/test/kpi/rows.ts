import type { Sql } from '../../src/db/connection'

/** Plain SQL writes into the feed tables: they go through the KPI triggers like ingest does. */
export type TicketRow = {
  ref: string
  category?: string
  status?: string
  ward_code?: string | null
  unit?: string | null
  received_at: string
  due_at?: string
  resolved_at?: string | null
  closed_at?: string | null
  updated_at?: string
}
export type DossierRow = {
  ref: string
  procedure_code?: string
  channel?: string
  status?: string
  received_at: string
  due_at: string
  finished_at?: string | null
  unit?: string | null
  ward_code?: string | null
  digitized_input?: boolean | null
  digitized_result?: boolean | null
  paid_online?: boolean | null
  updated_at?: string
}
export type SurveyRow = {
  ref: string
  submitted_at: string
  score: number
  unit?: string | null
  ward_code?: string | null
  updated_at?: string
}

export type TaskRow = {
  ref: string
  unit: string
  status?: string
  ward_code?: string | null
  issued_at: string
  due_at?: string
  done_at?: string | null
  updated_at?: string
}

const hours = (iso: string, h: number) => new Date(new Date(iso).getTime() + h * 3_600_000).toISOString()

export function ticket(row: TicketRow) {
  return {
    source: 'test-source',
    ref: row.ref,
    updated_at: row.updated_at ?? '2026-01-01T00:00:00Z',
    category: row.category ?? 'waste',
    title: `ticket ${row.ref}`,
    lat: 10.92,
    lng: 108.1,
    status: row.status ?? (row.resolved_at ? 'resolved' : 'received'),
    ward_code: row.ward_code === undefined ? '22930' : row.ward_code,
    unit: row.unit ?? null,
    received_at: row.received_at,
    due_at: row.due_at ?? hours(row.received_at, 8),
    resolved_at: row.resolved_at ?? null,
    closed_at: row.closed_at ?? null,
    content_hash: `h-${row.ref}-${row.updated_at ?? ''}`,
  }
}

export function dossier(row: DossierRow) {
  return {
    source: 'test-source',
    ref: row.ref,
    updated_at: row.updated_at ?? '2026-01-01T00:00:00Z',
    procedure_code: row.procedure_code ?? 'P1',
    channel: row.channel ?? 'direct',
    status: row.status ?? (row.finished_at ? 'done' : 'processing'),
    received_at: row.received_at,
    due_at: row.due_at,
    finished_at: row.finished_at ?? null,
    unit: row.unit ?? null,
    ward_code: row.ward_code === undefined ? '22930' : row.ward_code,
    digitized_input: row.digitized_input ?? null,
    digitized_result: row.digitized_result ?? null,
    paid_online: row.paid_online ?? null,
    content_hash: `h-${row.ref}-${row.updated_at ?? ''}`,
  }
}

export function survey(row: SurveyRow) {
  return {
    source: 'test-source',
    ref: row.ref,
    updated_at: row.updated_at ?? '2026-01-01T00:00:00Z',
    submitted_at: row.submitted_at,
    score: row.score,
    unit: row.unit ?? null,
    ward_code: row.ward_code === undefined ? '22930' : row.ward_code,
    content_hash: `h-${row.ref}`,
  }
}

export function task(row: TaskRow) {
  return {
    source: 'test-source',
    ref: row.ref,
    updated_at: row.updated_at ?? '2026-01-01T00:00:00Z',
    title: `task ${row.ref}`,
    unit: row.unit,
    issued_at: row.issued_at,
    due_at: row.due_at ?? hours(row.issued_at, 8),
    status: row.status ?? (row.done_at ? 'done' : 'assigned'),
    done_at: row.done_at ?? null,
    ward_code: row.ward_code === undefined ? '22930' : row.ward_code,
    content_hash: `h-${row.ref}-${row.updated_at ?? ''}`,
  }
}

/** Upserts like ingest: a row with an older updated_at than the stored one is ignored. */
export async function upsert(
  sql: Sql,
  table: 'tickets' | 'dossiers' | 'survey_answers' | 'tasks',
  rows: object[],
) {
  if (rows.length === 0) return
  const columns = Object.keys(rows[0]!).filter((c) => c !== 'source' && c !== 'ref')
  const set = columns.map((c, i) => sql`${i ? sql`,` : sql``} ${sql(c)} = excluded.${sql(c)}`)
  await sql`
    insert into ${sql(table)} ${sql(rows as Array<Record<string, unknown>>)}
    on conflict (source, ref) do update set ${set}
    where ${sql(table)}.updated_at <= excluded.updated_at`
}

export async function clearFeeds(sql: Sql) {
  await sql`delete from tickets`
  await sql`delete from dossiers`
  await sql`delete from survey_answers`
  await sql`delete from procedures`
  await sql`delete from tasks`
}
