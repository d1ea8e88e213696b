/// <reference lib="dom" />
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import type { Browser, CDPSession, Page } from 'playwright-core'
import { launchBrowser } from '../e2e/support/browser'
import { postFeed, seedWallData } from '../e2e/support/wallData'
import { backlogCase } from './backlog'
import { startFeeder } from './feeder'
import { benchSource, benchTokens, startBenchServer } from './server'

/**
 * The wall's benchmark: cold load to a fully drawn overview in headless Chromium, the JS/CSS
 * the wall route downloads (gzip), ingest-to-screen latency, and a soak (the wall on its
 * default playlist while a feeder sends a compressed day) sampling JS heap (after a forced
 * garbage collection), DOM nodes and listeners each minute. `WALL_SOAK_MINUTES` (default 30),
 * `WALL_SOAK_RATE` (tickets a second, default 5), `WALL_COLD_RUNS` (cold loads, default 7).
 * The playlist turns every 15 s: its four scenes come round once a minute, so each sample is
 * taken on the same scene and the 5th minute can be compared with the last. At minute 5 and at the end a heap snapshot splits the heap into V8's
 * code (which grows for an hour or more as V8 optimizes functions that run once a second or once
 * a playlist turn) and the page's own objects (where a leak would show). Writes
 * client/bench/results/wall.json.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const soakMinutes = Number(process.env.WALL_SOAK_MINUTES ?? 30)
const soakRate = Number(process.env.WALL_SOAK_RATE ?? 5)
const soakEvery = '15s'
// Cold loads vary by a few hundred ms on a shared 2-core machine: the median of several.
const coldRuns = Number(process.env.WALL_COLD_RUNS ?? 7)
// The backlog case (backlog.ts): open tickets on a second server, 0 to skip; `WALL_BACKLOG_ONLY=1`
// runs only it, after the baseline of the same run (cold loads of the wall at the demo's size,
// with the JS every scene downloads), and writes results/wall-backlog.json.
const backlogSize = Number(process.env.WALL_BACKLOG ?? 100_000)
const backlogOnly = process.env.WALL_BACKLOG_ONLY === '1'

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

/**
 * The JS heap split in two from a heap snapshot: V8's code (bytecode, baseline and optimized
 * machine code, feedback vectors and their metadata, which grow as V8 optimizes more functions,
 * however long the page runs) and everything else the page keeps (objects, arrays, strings,
 * closures: where a leak of ours would show). Blink's DOM objects, outside the JS heap, are left out.
 */
async function heapSplit(cdp: CDPSession): Promise<{ codeMB: number; objectsMB: number }> {
  const chunks: string[] = []
  const onChunk = ({ chunk }: { chunk: string }) => chunks.push(chunk)
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
  const { snapshot, nodes } = JSON.parse(chunks.join('')) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }
    nodes: number[]
  }
  const fields = snapshot.meta.node_fields
  const names = snapshot.meta.node_types[0]
  const typeAt = fields.indexOf('type')
  const sizeAt = fields.indexOf('self_size')
  let code = 0
  let objects = 0
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = names[nodes[i + typeAt]!]
    if (type === 'native' || type === 'synthetic') continue
    if (type === 'code') code += nodes[i + sizeAt]!
    else objects += nodes[i + sizeAt]!
  }
  const mb = (bytes: number) => Math.round((bytes / 1048576) * 100) / 100
  return { codeMB: mb(code), objectsMB: mb(objects) }
}

type Sample = {
  minute: number
  scene: string
  heapMB: number
  nodes: number
  listeners: number
  openTickets: number
}

async function soak(browser: Browser, url: string, city: Awaited<ReturnType<typeof seedWallData>>['city']) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await page.goto(`${url}/wall?token=${benchTokens.display}&playlist=default&every=${soakEvery}`)
  await page.waitForSelector('[data-map-ready="true"]', { timeout: 120_000 })
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  await cdp.send('HeapProfiler.enable')
  const feeder = startFeeder(url, benchTokens.feed, benchSource, city, soakRate)
  const samples: Sample[] = []
  const splits: Array<{ minute: number; scene: string; codeMB: number; objectsMB: number }> = []
  const started = Date.now()
  for (let minute = 1; minute <= soakMinutes; minute++) {
    await new Promise((r) => setTimeout(r, Math.max(0, started + minute * 60_000 - Date.now())))
    await cdp.send('HeapProfiler.collectGarbage')
    const { metrics } = await cdp.send('Performance.getMetrics')
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0
    const openTickets =
      Number(
        await page
          .locator('[data-points]')
          .getAttribute('data-points')
          .catch(() => null),
      ) || 0
    const scene =
      (await page
        .locator('[data-scene]')
        .first()
        .getAttribute('data-scene')
        .catch(() => null)) ?? ''
    const sample = {
      minute,
      scene,
      heapMB: Math.round((metric('JSHeapUsedSize') / 1048576) * 10) / 10,
      nodes: metric('Nodes'),
      listeners: metric('JSEventListeners'),
      openTickets,
    }
    samples.push(sample)
    process.stdout.write(`soak minute ${minute}: ${JSON.stringify(sample)}\n`)
    // What the heap is made of at the base minute and at the end (a snapshot takes seconds).
    if (minute === Math.min(5, soakMinutes) || minute === soakMinutes) {
      const split = { minute, scene, ...(await heapSplit(cdp)) }
      splits.push(split)
      process.stdout.write(`soak heap split: ${JSON.stringify(split)}\n`)
    }
  }
  await feeder.stop()
  await page.close()
  const last = samples.at(-1)
  // Growth from the 5th minute (after warm-up) to the last, between samples taken on the same
  // scene (the playlist changes the DOM by design: should the playlist's clock drift past a
  // sample, the first later sample on the last one's scene); shorter soaks use their first sample.
  const base =
    samples.find((x) => x.minute >= 5 && x.scene === last?.scene) ??
    samples[Math.min(4, samples.length - 1)] ??
    samples[0]
  const growth = (key: 'heapMB' | 'nodes' | 'listeners') =>
    base && last && base[key] > 0 ? Math.round(((last[key] - base[key]) / base[key]) * 1000) / 10 : null
  return {
    minutes: soakMinutes,
    ticketsPerSecond: soakRate,
    playlistEvery: soakEvery,
    feeder: feeder.stats(),
    baseMinute: base?.minute ?? null,
    growthPercent: {
      heap: growth('heapMB'),
      // The heap less V8's code, from the snapshots at minute 5 and at the end.
      heapObjects:
        splits.length === 2 && splits[0]!.objectsMB > 0
          ? Math.round(((splits[1]!.objectsMB - splits[0]!.objectsMB) / splits[0]!.objectsMB) * 1000) / 10
          : null,
      nodes: growth('nodes'),
      listeners: growth('listeners'),
    },
    heapSplit: splits,
    samples,
  }
}

export async function run(): Promise<void> {
  const loadAtStart = loadavg().map((l) => Math.round(l * 100) / 100)
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
    const soaked = soakMinutes > 0 ? await soak(browser, server.url, city) : null
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
        firstFullDrawMs: 2000,
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
