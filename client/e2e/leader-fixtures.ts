import type { AppDeps } from '../../server/src/context'
import { ingestItems } from '../../server/src/feeds/ingest'

const wards = [
  '22915',
  '22918',
  '22921',
  '22924',
  '22927',
  '22930',
  '22933',
  '22936',
  '22939',
  '22942',
  '22945',
  '22948',
  '22951',
  '22954',
  '22957',
  '22960',
  '22963',
  '22966',
]
const categories = ['security_order', 'sanitation', 'waste', 'urban_order', 'traffic', 'lighting', 'water']
const titles = [
  'Rác thải tồn đọng trên vỉa hè',
  'Đèn đường không sáng',
  'Lấn chiếm lòng đường',
  'Ngập nước sau mưa',
  'Ồn ào karaoke khuya',
  'Ổ gà trên đường Trần Hưng Đạo',
  'Mất nước sinh hoạt',
]
const hour = 3_600_000

/**
 * A deterministic week of a small city, sent through the real ingest path: tickets spread over
 * wards and categories (a third still open, some overdue), dossiers and survey answers.
 * `count` tickets, received between `now - 6.5 days` and `now - 1 hour`.
 */
export async function seedLeaderData(deps: Pick<AppDeps, 'sql' | 'city' | 'events'>, now: Date, count = 40) {
  const at = (ms: number) => new Date(now.getTime() - ms).toISOString()
  // Each ticket near the middle of its ward's outline (the mean of its vertices), a little apart,
  // so the leader map draws points where their wards are.
  const middle = new Map(
    deps.city.wards.features.map((f) => {
      const polygons = (
        f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates
      ) as number[][][][]
      const ring = polygons[0]![0]!
      const mean = (k: number) => ring.reduce((s, p) => s + p[k]!, 0) / ring.length
      return [f.properties.code, { lng: mean(0), lat: mean(1) }]
    }),
  )
  const near = (ward: string, i: number) => {
    const m = middle.get(ward) ?? { lat: 10.93, lng: 108.1 }
    return { lat: m.lat + (((i * 7) % 5) - 2) * 0.0015, lng: m.lng + (((i * 3) % 5) - 2) * 0.0015 }
  }
  const tickets = Array.from({ length: count }, (_, i) => {
    const received = hour + ((i * 3.9 * hour) % (6.5 * 24 * hour))
    const resolved = i % 3 !== 0 ? received - (i % 2 ? 3 : 11) * hour : null
    return {
      source: 'e2e',
      ref: `T-${String(i + 1).padStart(3, '0')}`,
      updatedAt: at(resolved !== null && resolved > 0 ? resolved : received),
      category: categories[i % categories.length]!,
      title: titles[i % titles.length]!,
      location: near(wards[(i * 5) % 7]!, i),
      wardCode: wards[(i * 5) % 7]!,
      address: `${10 + i} Trần Hưng Đạo`,
      unit: `ubnd-${wards[(i * 5) % 7]}`,
      status: resolved !== null && resolved > 0 ? 'resolved' : 'in_progress',
      receivedAt: at(received),
      ...(resolved !== null && resolved > 0 ? { resolvedAt: at(resolved) } : {}),
      channel: 'app',
      reporter: { name: 'Trần Thị Bích', phone: '0912345678' },
    }
  })
  const dossiers = Array.from({ length: 12 }, (_, i) => ({
    source: 'e2e',
    ref: `HS-${i + 1}`,
    updatedAt: at(i * 9 * hour + hour),
    procedureCode: `1.00${i % 4}`,
    channel: i % 3 === 0 ? 'online' : 'direct',
    status: i % 2 ? 'done' : 'processing',
    receivedAt: at(i * 9 * hour + 2 * hour),
    dueAt: new Date(now.getTime() + (i - 4) * 24 * hour).toISOString(),
    ...(i % 2 ? { finishedAt: at(i * 9 * hour + hour) } : {}),
    unit: `ubnd-${wards[i % 5]}`,
    wardCode: wards[i % 5]!,
  }))
  const surveys = Array.from({ length: 10 }, (_, i) => ({
    source: 'e2e',
    ref: `KS-${i + 1}`,
    updatedAt: at(i * 5 * hour + hour),
    submittedAt: at(i * 5 * hour + hour),
    score: i % 4 === 0 ? 3 : 5,
    subject: { kind: 'ticket' as const, source: 'e2e', ref: `T-00${(i % 9) + 1}` },
    wardCode: wards[i % 7]!,
    comment: i === 1 ? 'Xử lý nhanh, cảm ơn phường' : undefined,
  }))
  const fields = ['Hộ tịch', 'Đất đai', 'Xây dựng', 'Kinh doanh']
  const procedures = fields.map((field, i) => ({
    source: 'e2e',
    ref: `P-${i}`,
    updatedAt: at(30 * 24 * hour),
    code: `1.00${i}`,
    name: `Thủ tục ${field.toLowerCase()}`,
    field,
    level: i % 2 ? 'partial' : 'full',
    provincialPortal: true,
    nationalPortal: i === 0,
    feeBearing: i > 1,
  }))
  for (const [feed, items] of [
    ['procedures', procedures],
    ['tickets', tickets],
    ['dossiers', dossiers],
    ['surveys', surveys],
  ] as const) {
    const result = await ingestItems(deps, feed, items as never[])
    if (result.rejected.length)
      throw new Error(`fixture ${feed} rejected: ${JSON.stringify(result.rejected[0])}`)
  }
  return { tickets, dossiers, surveys }
}
