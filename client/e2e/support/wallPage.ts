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

/**
 * Per wall chart on screen, the share of its box that is drawn: its SVG rasterised on a canvas
 * (the charts colour with attributes, so the copy draws as the screen does) and the pixels with
 * any ink counted, so an empty or unsized drawing counts as nothing.
 */
export function chartInk(page: Page): Promise<number[]> {
  return page.evaluate(async () => {
    const charts = [...document.querySelectorAll<SVGSVGElement>('.wall-scene .chart > svg')].filter(
      (svg) => svg.getBoundingClientRect().width > 0 && svg.getBoundingClientRect().height > 0,
    )
    return Promise.all(
      charts.map(async (svg) => {
        const { width, height } = svg.getBoundingClientRect()
        // Serialised with its namespace (an element in SVG's), so it loads as an image of its own.
        const url = URL.createObjectURL(
          new Blob([new XMLSerializer().serializeToString(svg)], { type: 'image/svg+xml' }),
        )
        const image = new Image()
        image.src = url
        await image.decode()
        URL.revokeObjectURL(url)
        const canvas = document.createElement('canvas')
        canvas.width = Math.round(width)
        canvas.height = Math.round(height)
        const context = canvas.getContext('2d')!
        context.drawImage(image, 0, 0)
        const data = context.getImageData(0, 0, canvas.width, canvas.height).data
        let ink = 0
        for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) ink++
        return ink / (canvas.width * canvas.height)
      }),
    )
  })
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
