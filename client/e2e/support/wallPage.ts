import type { KpiResponse } from '@citydeck/shared'
import type { Page } from 'playwright-core'

/** What a wall page shows, read from the DOM: each KPI tile's metric and raw value. */
export async function readTiles(page: Page): Promise<Record<string, number | null>> {
  return page.evaluate(() => {
    const out: Record<string, number | null> = {}
    for (const tile of document.querySelectorAll<HTMLElement>('.wall-scene .kpi-tile[data-metric]')) {
      const raw = tile.dataset.value ?? ''
      out[tile.dataset.metric!] = raw === '' ? null : Number(raw)
    }
    return out
  })
}

/** The same metrics from a KPI API response. */
export function apiValues(kpis: KpiResponse, metrics: string[]): Record<string, number | null> {
  const out: Record<string, number | null> = {}
  for (const metric of metrics) {
    const [feed, key] = metric.split('.') as [keyof KpiResponse, string]
    const value = (kpis[feed] as Record<string, unknown>)[key]
    out[metric] = typeof value === 'number' ? value : null
  }
  return out
}

/** True when the page scrolls in either direction (a wall must not). */
export function hasScrollbars(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement
    return root.scrollWidth > window.innerWidth || root.scrollHeight > window.innerHeight
  })
}

/** Per ECharts canvas on screen, the share of pixels that are drawn (not transparent). */
export function chartInk(page: Page): Promise<number[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLCanvasElement>('.wall-scene .chart canvas')]
      .filter((c) => c.offsetParent !== null && c.width > 0 && c.height > 0)
      .map((canvas) => {
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
        let ink = 0
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++
        return ink / (canvas.width * canvas.height)
      }),
  )
}

/** Local midnight in the city's zone to now, as the wall asks for "today". */
export async function todayKpis(baseUrl: string, token: string, ward?: string): Promise<KpiResponse> {
  const now = new Date()
  const local = new Date(now.getTime() + 7 * 3600_000)
  const from = new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()) - 7 * 3600_000,
  )
  const query = new URLSearchParams({
    from: from.toISOString(),
    to: now.toISOString(),
    ...(ward ? { ward } : {}),
  })
  const res = await fetch(`${baseUrl}/api/v1/kpis?${query}`, {
    headers: { authorization: `Bearer ${token}` },
  })
  if (!res.ok) throw new Error(`kpis: HTTP ${res.status}`)
  return (await res.json()) as KpiResponse
}
