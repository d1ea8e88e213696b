/// <reference lib="dom" />
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from '../e2e/support/browser'
import { postFeed, seedWallData } from '../e2e/support/wallData'
import { backlogCase } from './backlog'
import { benchSource, benchTokens, startBenchServer } from './server'
import { demoSoak, soak, soakMinutes } from './soak'

/**
 * The wall's benchmark: cold load to a fully drawn overview in headless Chromium, the JS/CSS
 * the wall route downloads (gzip), ingest-to-screen latency, and a soak (soak.ts) while a
 * feeder sends a compressed day. `WALL_SOAK_MINUTES` (default 30), `WALL_SOAK_RATE` (tickets a
 * second, default 5), `WALL_COLD_RUNS` (cold loads, default 7). Writes
 * client/bench/results/wall.json. `WALL_SOAK_DEMO_RATE=20` runs only the soak, on the demo city.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const soakRate = Number(process.env.WALL_SOAK_RATE ?? 5)
// Cold loads vary by a few hundred ms on a shared 2-core machine: the median of several.
const coldRuns = Number(process.env.WALL_COLD_RUNS ?? 7)
// The backlog case (backlog.ts): open tickets on a second server, 0 to skip; `WALL_BACKLOG_ONLY=1`
// runs only it, after the baseline of the same run (cold loads of the wall at the demo's size,
// with the JS every scene downloads), and writes results/wall-backlog.json.
const backlogSize = Number(process.env.WALL_BACKLOG ?? 100_000)
const backlogOnly = process.env.WALL_BACKLOG_ONLY === '1'
const demoSoakRate = Number(process.env.WALL_SOAK_DEMO_RATE ?? 0)

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Waits for the overview to be fully drawn; returns ms since navigation start. */
async function fullyDrawn(page: Page): Promise<number> {
  const handle = await page.waitForFunction(
    () => {
      const map = document.querySelector('[data-map-ready="true"]')
      const points = Number(document.querySelector('[data-points]')?.getAttribute('data-points') ?? 0)
      const tiles = [...document.querySelectorAll<HTMLElement>('.kpi-tile[data-metric]')]
      const filled =
        tiles.length > 0 && tiles.every((t) => t.dataset.value !== '' || t.dataset.metric!.endsWith('Rate'))
      const connected = document.querySelector('.wall-screen[data-connection="connected"]')
      return map && points > 0 && filled && connected ? performance.now() : null
    },
    undefined,
    { timeout: 120_000, polling: 'raf' },
  )
  return (await handle.jsonValue()) as number
}

type Asset = { url: string; type: string; bytes: number; gzip: number }

/** JS and CSS totals of the downloaded assets (each file once). */
function sizes(list: Asset[]) {
  const unique = [...new Map(list.map((a) => [a.url, a])).values()]
  const sum = (type: string, key: 'bytes' | 'gzip') =>
    Math.round(unique.filter((a) => a.type === type).reduce((s, a) => s + a[key], 0) / 1024)
  return {
    jsKB: sum('js', 'bytes'),
    jsGzipKB: sum('js', 'gzip'),
    cssKB: sum('css', 'bytes'),
    cssGzipKB: sum('css', 'gzip'),
    files: unique.map((a) => ({
      path: a.url,
      type: a.type,
      kB: Math.round(a.bytes / 1024),
      gzipKB: Math.round(a.gzip / 1024),
    })),
  }
}

async function coldLoad(browser: Browser, url: string) {
  const times: number[] = []
  let assets: Asset[] = []
  let allScenes: Asset[] = []
  for (let run = 0; run < coldRuns; run++) {
    // A fresh context each time: empty cache, no cookie, the token exchanged again.
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
    const page = await context.newPage()
    const seen: Asset[] = []
    page.on('response', async (res) => {
      const type = res.request().resourceType()
      const isWorker = res.url().endsWith('.mjs')
      if (type !== 'script' && type !== 'stylesheet' && !isWorker) return
      const body = await res.body().catch(() => null)
      if (body)
        seen.push({
          url: new URL(res.url()).pathname,
          type: type === 'stylesheet' ? 'css' : 'js',
          bytes: body.length,
          gzip: gzipSync(body).length,
        })
    })
    await page.goto(`${url}/wall?token=${benchTokens.display}&scene=overview`)
    times.push(await fullyDrawn(page))
    await page.waitForTimeout(500)
    assets = [...seen]
    if (run === coldRuns - 1) {
      // The other scenes load their charts on first show: what a playlist downloads in all.
      for (const scene of ['tickets', 'procedures', 'satisfaction']) {
        await page.goto(`${url}/wall?scene=${scene}`)
        await page.waitForSelector(`[data-scene="${scene}"] .chart > svg`, { timeout: 60_000 })
      }
      await page.waitForTimeout(500)
    }
    await context.close()
    if (run === coldRuns - 1) allScenes = seen
  }
  return {
    firstFullDrawMs: { median: Math.round(median(times)), runs: times.map(Math.round) },
    wallRoute: { overview: sizes(assets), allScenes: sizes(allScenes) },
  }
}

/**
 * From sending a ticket to the ingest API until the wall shows it, a few times: its point on the
 * map (the change stream) and the count in the "tickets today" tile (the KPI frames).
 */
async function liveLatency(page: Page, url: string): Promise<{ map: number[]; tiles: number[] }> {
  const out = { map: [] as number[], tiles: [] as number[] }
  const tile = '.kpi-tile[data-metric="tickets.received"]'
  for (let i = 0; i < 5; i++) {
    const points = Number(await page.locator('[data-points]').getAttribute('data-points'))
    const received = Number(await page.locator(tile).first().getAttribute('data-value'))
    const now = new Date().toISOString()
    const started = Date.now()
    // Resolves with the time since sending once the element's number went past `from`.
    const grew = (selector: string, attribute: string, from: number) => {
      const arg: [string, string, number] = [selector, attribute, from]
      return page
        .waitForFunction(([s, a, n]) => Number(document.querySelector(s)?.getAttribute(a)) > n, arg, {
          timeout: 30_000,
          polling: 50,
        })
        .then(() => Date.now() - started)
    }
    const [map, tiles] = await Promise.all([
      grew('[data-points]', 'data-points', points),
      grew(tile, 'data-value', received),
      postFeed(url, benchTokens.feed, 'tickets', [
        {
          source: benchSource,
          ref: `LAT-${i}`,
          updatedAt: now,
          category: 'waste',
          title: 'Đo độ trễ',
          location: { lat: 10.93, lng: 108.1 },
          status: 'received',
          receivedAt: now,
        },
      ]),
    ])
    out.map.push(map)
    out.tiles.push(tiles)
    // A second apart: each sample is a change after a quiet spell. Under a steady stream the
    // tiles can lag up to one more second, the KPI frames' coalescing interval.
    await page.waitForTimeout(1200)
  }
  return out
}

export async function run(): Promise<void> {
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100)
  if (demoSoakRate > 0) return demoSoak(demoSoakRate, loadAtStart)
  if (backlogOnly) {
    const browser = await launchBrowser()
    try {
      // The baseline of the same run: the same wall, cold, at the demo's size.
      const server = await startBenchServer()
      let baseline: Awaited<ReturnType<typeof coldLoad>>
      try {
        await seedWallData(server.url, benchTokens.feed, { now: new Date(), source: benchSource })
        process.stdout.write('wall: cold load at the demo size (baseline)\n')
        baseline = await coldLoad(browser, server.url)
      } finally {
        await server.stop()
      }
      process.stdout.write(`wall: backlog of ${backlogSize} open tickets\n`)
      const backlog = await backlogCase(browser, backlogSize, fullyDrawn)
      const { files: _files, ...overview } = baseline.wallRoute.overview
      const result = {
        at: new Date().toISOString(),
        machine: {
          cpus: cpus().length,
          loadavgAtStart: loadAtStart,
          loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
        },
        aims: { backlogFirstFullDrawMs: 2000, backlogSnapshotKB: 256, wallRouteJsGzipKB: 600 },
        baseline: {
          firstFullDrawMs: baseline.firstFullDrawMs,
          wallRoute: { overview, allScenes: baseline.wallRoute.allScenes },
        },
        backlog,
      }
      await mkdir(path.join(here, 'results'), { recursive: true })
      await writeFile(path.join(here, 'results', 'wall-backlog.json'), `${JSON.stringify(result, null, 2)}\n`)
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    } finally {
      await browser.close()
    }
    return
  }
  const server = await startBenchServer()
  const browser = await launchBrowser()
  try {
    const { city } = await seedWallData(server.url, benchTokens.feed, {
      now: new Date(),
      source: benchSource,
    })
    process.stdout.write('wall: cold load\n')
    const cold = await coldLoad(browser, server.url)
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(`${server.url}/wall?token=${benchTokens.display}&scene=overview`)
    await fullyDrawn(page)
    const latencyMs = await liveLatency(page, server.url)
    await page.close()
    process.stdout.write(`wall: soak for ${soakMinutes} min at ${soakRate} tickets/s\n`)
    const soaked =
      soakMinutes > 0
        ? await soak(browser, server.url, benchTokens.display, {
            kind: 'feeder',
            city,
            ticketsPerSecond: soakRate,
          })
        : null
    process.stdout.write(`wall: backlog of ${backlogSize} open tickets\n`)
    const backlog = backlogSize > 0 ? await backlogCase(browser, backlogSize, fullyDrawn) : null
    const result = {
      at: new Date().toISOString(),
      // Load averages (1, 5, 15 min) when the run started and when it ended: the machine is shared.
      machine: {
        cpus: cpus().length,
        loadavgAtStart: loadAtStart,
        loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
      },
      aims: {
        firstFullDrawMs: 1500,
        wallRouteJsGzipKB: 600,
        heapGrowthPercent: 10,
        domNodes: 'flat',
        backlogSnapshotKB: 256,
        backlogFirstFullDrawMs: 2000,
      },
      ...cold,
      ingestToMapMs: { median: median(latencyMs.map), runs: latencyMs.map },
      ingestToTilesMs: { median: median(latencyMs.tiles), runs: latencyMs.tiles },
      soak: soaked,
      backlog,
    }
    await mkdir(path.join(here, 'results'), { recursive: true })
    await writeFile(path.join(here, 'results', 'wall.json'), `${JSON.stringify(result, null, 2)}\n`)
    process.stdout.write(
      `${JSON.stringify({ ...result, soak: soaked && { ...soaked, samples: soaked.samples.length } }, null, 2)}\n`,
    )
  } finally {
    await browser.close()
    await server.stop()
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  await run()
  process.exit(0)
}
