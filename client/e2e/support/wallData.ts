import type { CityResponse } from '@citydeck/shared'

/**
 * Realistic feed items for the wall's browser tests and benchmark, sent through the public feed
 * API like any integrator: a 130-procedure catalog, 12 months of dossiers, 30 days of tickets
 * (some open, some overdue) and survey answers with comments. Deterministic for a seed.
 */
export type WallDataOptions = {
  now: Date
  source: string
  seed?: number
  tickets?: number
  dossiers?: number
  surveys?: number
}

function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const titles = [
  'Rác thải tập kết sai nơi quy định',
  'Đèn đường không sáng',
  'Lấn chiếm vỉa hè buôn bán',
  'Ống nước bị vỡ, rò rỉ',
  'Ổ gà trên mặt đường',
  'Cống thoát nước bị tắc',
  'Tiếng ồn kéo dài ban đêm',
  'Cây xanh gãy đổ chắn lối đi',
]
const comments = [
  'Cán bộ hướng dẫn tận tình, hồ sơ trả đúng hẹn.',
  'Xử lý nhanh, cảm ơn phường.',
  'Thời gian chờ hơi lâu nhưng kết quả tốt.',
  'Nộp trực tuyến tiện lợi, không phải đi lại.',
  'Cần thông báo rõ hơn về giấy tờ cần bổ sung.',
]

/** A point near the middle of a ward's outer ring, to place a ticket inside its ward. */
function wardPoints(city: CityResponse): Array<{ code: string; lng: number; lat: number }> {
  return city.wards.features.map((f) => {
    const rings = (
      f.geometry.type === 'Polygon' ? f.geometry.coordinates : (f.geometry.coordinates as number[][][][])[0]
    ) as number[][][]
    const ring = rings[0]!
    const lng = ring.reduce((s, p) => s + p[0]!, 0) / ring.length
    const lat = ring.reduce((s, p) => s + p[1]!, 0) / ring.length
    return { code: f.properties.code, lng, lat }
  })
}

export function wallData(city: CityResponse, options: WallDataOptions) {
  const random = rng(options.seed ?? 7)
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!
  const now = options.now.getTime()
  const iso = (ms: number) => new Date(ms).toISOString()
  const hour = 3600_000
  const day = 24 * hour
  const source = options.source
  const updatedAt = iso(now)
  const wards = wardPoints(city)
  const { categories, units } = city.profile
  const fields = ['Hộ tịch', 'Đất đai', 'Xây dựng', 'Kinh doanh', 'Chứng thực']

  const procedures = Array.from({ length: 130 }, (_, i) => ({
    source,
    ref: `P${i + 1}`,
    updatedAt,
    code: `P${String(i + 1).padStart(3, '0')}`,
    name: `Thủ tục ${i + 1}`,
    field: fields[i % fields.length]!,
    level: i < 84 ? 'full' : 'partial',
    provincialPortal: true,
    nationalPortal: i < 14,
    feeBearing: i % 3 === 0,
  }))

  const tickets = Array.from({ length: options.tickets ?? 400 }, (_, i) => {
    const ward = pick(wards)
    // Most are history; the last ones are today's, a few of them overdue.
    const receivedAt =
      i < (options.tickets ?? 400) * 0.8 ? now - random() * 30 * day : now - random() * 12 * hour
    const dueAt = receivedAt + 8 * hour
    const closed = receivedAt < now - 14 * hour || random() < 0.35
    const resolvedAt = closed ? Math.min(now - 60_000, receivedAt + random() * 10 * hour) : undefined
    return {
      source,
      ref: `T${i + 1}`,
      updatedAt: iso(resolvedAt ?? receivedAt),
      category: pick(categories).code,
      title: pick(titles),
      location: { lng: ward.lng + (random() - 0.5) * 0.004, lat: ward.lat + (random() - 0.5) * 0.004 },
      wardCode: ward.code,
      status: closed ? 'resolved' : pick(['received', 'assigned', 'in_progress'] as const),
      unit: `ubnd-${ward.code}`,
      receivedAt: iso(receivedAt),
      dueAt: iso(dueAt),
      ...(resolvedAt ? { resolvedAt: iso(resolvedAt) } : {}),
      channel: pick(['app', 'hotline', 'web'] as const),
    }
  })

  const dossiers = Array.from({ length: options.dossiers ?? 1500 }, (_, i) => {
    const ward = pick(wards)
    const age = random() * 360 * day
    const receivedAt = now - age
    const dueAt = receivedAt + (3 + Math.floor(random() * 10)) * day
    // Online share rising over the year, as the demo city's.
    const online = random() < 0.25 + 0.35 * (1 - age / (360 * day))
    const finished = dueAt < now - day || random() < 0.5
    const finishedAt = finished
      ? Math.min(now - 60_000, receivedAt + random() * (dueAt - receivedAt) * 1.15)
      : undefined
    return {
      source,
      ref: `D${i + 1}`,
      updatedAt: iso(finishedAt ?? receivedAt),
      procedureCode: pick(procedures).code,
      channel: online ? 'online' : 'direct',
      status: finished ? 'done' : 'processing',
      receivedAt: iso(receivedAt),
      dueAt: iso(dueAt),
      ...(finishedAt ? { finishedAt: iso(finishedAt) } : {}),
      unit: random() < 0.7 ? `ubnd-${ward.code}` : pick(units).code,
      wardCode: ward.code,
      digitizedInput: random() < 0.7,
      digitizedResult: finished ? random() < 0.6 : undefined,
    }
  })

  const surveys = Array.from({ length: options.surveys ?? 400 }, (_, i) => {
    const ward = pick(wards)
    const score = random() < 0.85 ? 4 + Math.round(random()) : 1 + Math.floor(random() * 3)
    const submittedAt = now - random() * 30 * day
    return {
      source,
      ref: `S${i + 1}`,
      updatedAt: iso(submittedAt),
      submittedAt: iso(submittedAt),
      score,
      unit: `ubnd-${ward.code}`,
      wardCode: ward.code,
      ...(random() < 0.3 ? { comment: pick(comments) } : {}),
    }
  })

  return { procedures, tickets, dossiers, surveys }
}

/** Posts items to a feed endpoint with a feed token; throws on anything but success. */
export async function postFeed(
  baseUrl: string,
  token: string,
  feed: string,
  items: unknown[],
): Promise<unknown> {
  const res = await fetch(`${baseUrl}/api/v1/feeds/${feed}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(items),
  })
  const body = await res.json()
  if (!res.ok) throw new Error(`POST ${feed}: HTTP ${res.status} ${JSON.stringify(body).slice(0, 300)}`)
  return body
}

/** Seeds a server with the whole data set. */
export async function seedWallData(baseUrl: string, token: string, options: WallDataOptions) {
  const city = (await (await fetch(`${baseUrl}/api/v1/city`)).json()) as CityResponse
  const data = wallData(city, options)
  for (const feed of ['procedures', 'tickets', 'dossiers', 'surveys'] as const) {
    await postFeed(baseUrl, token, feed, data[feed])
  }
  return { city, data }
}
