import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { CityProfile } from '@citydeck/shared'
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64'
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus'
import type { Sql } from '../src/db/connection'

/**
 * Synthetic feed history for the KPI benchmark, loaded with COPY: `years` of dossiers,
 * tickets, survey answers and tasks ending at `end`, with a working-day rhythm, late finishes,
 * rejections and open items near the end. Deterministic for a given seed.
 */
export type BenchSizes = { dossiers: number; tickets: number; surveys: number; tasks: number }

const hour = 3_600_000
const day = 24 * hour
const departments = ['so-tu-phap', 'so-tai-nguyen', 'cong-an-tp', 'dien-luc', 'cap-nuoc']

export async function loadBenchData(
  sql: Sql,
  profile: CityProfile,
  sizes: BenchSizes,
  end: Date,
  years: number,
) {
  const rng = xoroshiro128plus(20261128)
  const r = () => uniformFloat64(rng)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!
  const endMs = end.getTime()
  const startMs = endMs - years * 365.25 * day
  const wards = profile.wards.map((w) => w.code)
  const categories = profile.categories.map((c) => c.code)
  const iso = (ms: number) => new Date(ms).toISOString()
  const bool = (p: number) => (r() < p ? 't' : 'f')
  /** An office-hours instant (07:00–17:00 in UTC+7 is 00:00–10:00 UTC) on a random day. */
  const officeTime = () => {
    const d = startMs + Math.floor(r() * ((endMs - startMs) / day)) * day
    return d - (d % day) + Math.floor(r() * 10 * hour)
  }
  const anyTime = () => startMs + Math.floor(r() * (endMs - startMs))
  const ward = () => (r() < 0.05 ? '\\N' : pick(wards))
  const unitFor = (w: string) => (r() < 0.7 && w !== '\\N' ? `ub-${w}` : pick(departments))

  // Rows per chunk: COPY text, tab-separated, \N for null.
  const dossierRow = (i: number) => {
    const received = officeTime()
    const due = received + (1 + Math.floor(r() * 20)) * day
    const w = ward()
    let finished: number | null = received + r() * 25 * day
    if (finished >= endMs || r() < 0.03) finished = null
    const status = finished
      ? pick(['done', 'done', 'done', 'returned'])
      : pick(['received', 'processing', 'supplement', 'withdrawn'])
    const paid = r() < 0.4 ? '\\N' : bool(0.3)
    return `bench\td${i}\t${iso(received)}\tP${String(1 + Math.floor(r() * 130)).padStart(3, '0')}\t${r() < 0.35 ? 'online' : pick(['direct', 'postal'])}\t${status}\t${iso(received)}\t${iso(due)}\t${finished ? iso(finished) : '\\N'}\t${unitFor(w)}\t${w}\t${bool(0.6)}\t${bool(0.5)}\t${paid}\t0\th\n`
  }
  const ticketRow = (i: number) => {
    const received = anyTime()
    const due = received + 8 * hour
    const w = ward()
    const roll = r()
    let resolved: number | null = received + (0.2 + r() * 20) * hour
    let status = 'resolved'
    let updated = resolved
    if (roll < 0.02) {
      resolved = null
      status = 'rejected'
      updated = received + 2 * hour
    } else if (resolved >= endMs || roll > 0.99) {
      resolved = null
      status = pick(['received', 'assigned', 'in_progress'])
      updated = received
    }
    return `bench\tt${i}\t${iso(updated)}\t${pick(categories)}\tSự cố ${i}\t10.93\t108.1\t${status}\t${unitFor(w)}\t${w}\t${iso(received)}\t${iso(due)}\t${resolved ? iso(resolved) : '\\N'}\th\n`
  }
  const surveyRow = (i: number) => {
    const w = ward()
    const score = r() < 0.8 ? pick([4, 5]) : pick([1, 2, 3])
    const at = iso(anyTime())
    return `bench\ts${i}\t${at}\t${at}\t${score}\t${unitFor(w)}\t${w}\th\n`
  }

  // Tasks (docs/design.md §9): most done within a few days, some late, a few cancelled, open ones near the end.
  const taskRow = (i: number) => {
    const issued = officeTime()
    const due = issued + pick([8 * hour, 1 * day, 3 * day, 7 * day])
    const w = ward()
    let done: number | null = issued + r() * 9 * day
    if (done >= endMs || r() < 0.02) done = null
    const status = done ? 'done' : r() < 0.1 ? 'cancelled' : pick(['assigned', 'accepted', 'in_progress'])
    return `bench\tk${i}\t${iso(done ?? issued)}\tNhiệm vụ ${i}\t${unitFor(w)}\t${iso(issued)}\t${iso(due)}\t${status}\t${done ? iso(done) : '\\N'}\t${w}\th\n`
  }

  await sql`alter table dossiers disable trigger user`
  await sql`alter table tickets disable trigger user`
  await sql`alter table survey_answers disable trigger user`
  await sql`alter table tasks disable trigger user`
  // Secondary indexes (this module's and other modules') are rebuilt once after the load.
  const indexes = await sql<Array<{ name: string; definition: string }>>`
    select i.relname as name, pg_get_indexdef(i.oid) as definition
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
    where t.relname in ('dossiers', 'tickets', 'survey_answers', 'tasks') and not x.indisprimary`
  for (const index of indexes) await sql`drop index ${sql(index.name)}`
  await copy(
    sql,
    sql`copy dossiers (source, ref, updated_at, procedure_code, channel, status, received_at, due_at, finished_at, unit, ward_code, digitized_input, digitized_result, paid_online, supplement_requests, content_hash) from stdin`,
    sizes.dossiers,
    dossierRow,
  )
  await copy(
    sql,
    sql`copy tickets (source, ref, updated_at, category, title, lat, lng, status, unit, ward_code, received_at, due_at, resolved_at, content_hash) from stdin`,
    sizes.tickets,
    ticketRow,
  )
  await copy(
    sql,
    sql`copy survey_answers (source, ref, updated_at, submitted_at, score, unit, ward_code, content_hash) from stdin`,
    sizes.surveys,
    surveyRow,
  )
  await copy(
    sql,
    sql`copy tasks (source, ref, updated_at, title, unit, issued_at, due_at, status, done_at, ward_code, content_hash) from stdin`,
    sizes.tasks,
    taskRow,
  )
  for (const index of indexes) await sql.unsafe(index.definition) // definitions read back from pg_index
  await sql`alter table dossiers enable trigger user`
  await sql`alter table tickets enable trigger user`
  await sql`alter table survey_answers enable trigger user`
  await sql`alter table tasks enable trigger user`
  const catalog = Array.from({ length: 130 }, (_, k) => ({
    source: 'bench',
    ref: `P${String(k + 1).padStart(3, '0')}`,
    updated_at: iso(endMs),
    code: `P${String(k + 1).padStart(3, '0')}`,
    name: `Thủ tục ${k + 1}`,
    field: `Lĩnh vực ${k % 12}`,
    level: k < 84 ? 'full' : 'partial',
    provincial_portal: true,
    national_portal: k < 14,
    fee_bearing: k % 3 === 0,
    content_hash: 'h',
  }))
  await sql`insert into procedures ${sql(catalog)}`
}

type CopyIn = { writable: () => Promise<NodeJS.WritableStream> }

async function copy(_sql: Sql, statement: CopyIn, count: number, row: (i: number) => string) {
  const chunk = 5_000
  async function* lines() {
    for (let i = 0; i < count; i += chunk) {
      let text = ''
      for (let k = i; k < Math.min(count, i + chunk); k++) text += row(k)
      yield text
    }
  }
  const writable = await statement.writable()
  await pipeline(Readable.from(lines()), writable)
}
