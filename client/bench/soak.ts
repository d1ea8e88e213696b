/// <reference lib="dom" />
import { execFileSync } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { cpus, loadavg } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, CDPSession } from 'playwright-core'
import { launchBrowser } from '../e2e/support/browser'
import type { seedWallData } from '../e2e/support/wallData'
import { startFeeder } from './feeder'
import { benchSource, benchTokens, startBenchServer } from './server'
import { type Sample, windowGrowth } from './soak-growth'

/**
 * The wall's soak: the wall on its default playlist for `WALL_SOAK_MINUTES` (default 30) while
 * the city changes, sampling JS heap (after a forced garbage collection), DOM nodes and
 * listeners each minute. The playlist turns every 15 s: its scenes come round about once a
 * minute, and growth is compared between samples taken on the same scene. At minute 5 and at
 * the end a heap snapshot splits the heap into V8's code (which grows for an hour or more as V8
 * optimizes functions that run once a second or once a playlist turn) and the page's own
 * objects (where a leak would show).
 */
const here = path.dirname(fileURLToPath(import.meta.url))
export const soakMinutes = Number(process.env.WALL_SOAK_MINUTES ?? 30)
const soakEvery = '15s'

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

/**
 * What the soaked wall watches: the bench's feeder (tickets a second into a seeded city), or a
 * demo city running at `demoRate` times its own pace (every feed, as the city's day makes them).
 */
type SoakLoad =
  | { kind: 'feeder'; city: Awaited<ReturnType<typeof seedWallData>>['city']; ticketsPerSecond: number }
  | { kind: 'demo'; demoRate: number }

export async function soak(browser: Browser, url: string, displayToken: string, load: SoakLoad) {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
  await page.goto(`${url}/wall?token=${displayToken}&playlist=default&every=${soakEvery}`)
  await page.waitForSelector('[data-map-ready="true"]', { timeout: 120_000 })
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  await cdp.send('HeapProfiler.enable')
  const feeder =
    load.kind === 'feeder'
      ? startFeeder(url, benchTokens.feed, benchSource, load.city, load.ticketsPerSecond)
      : null
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
  await feeder?.stop()
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
    ...(load.kind === 'feeder' ? { ticketsPerSecond: load.ticketsPerSecond } : { demoRate: load.demoRate }),
    playlistEvery: soakEvery,
    feeder: feeder?.stats() ?? null,
    baseMinute: base?.minute ?? null,
    // Per scene, the least of the first ten samples from minute 5 against the least of the last ten.
    windowGrowthPercent: windowGrowth(samples),
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

/**
 * `WALL_SOAK_DEMO_RATE=20`: only the soak, on a wall watching the demo city at that many times
 * its pace (2 hours at 20× are about 40 hours of the city's events), after the demo's history is
 * stored. Writes client/bench/results/wall-soak.json.
 */
export async function demoSoak(demoRate: number, loadAtStart: number[]) {
  // The wall that was soaked, read at the start: a two-hour run outlives commits made meanwhile.
  const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: here, encoding: 'utf8' }).trim()
  const server = await startBenchServer({ DEMO: '1', DEMO_RATE: String(demoRate) })
  const browser = await launchBrowser()
  try {
    if (!server.demo) throw new Error('the bench server started without its demo city')
    process.stdout.write('wall: loading the demo history\n')
    const history = await server.demo.history
    process.stdout.write(`wall: soak for ${soakMinutes} min on the demo city at ${demoRate}× its pace\n`)
    const soaked = await soak(browser, server.url, server.demo.tokens.display, { kind: 'demo', demoRate })
    const result = {
      at: new Date().toISOString(),
      commit,
      machine: {
        cpus: cpus().length,
        loadavgAtStart: loadAtStart,
        loadavg: loadavg().map((l) => Math.round(l * 100) / 100),
      },
      aims: { heapGrowthPercent: 10, heapObjectsGrowthPercent: 2 },
      history: history && { items: history.items },
      soak: soaked,
    }
    await mkdir(path.join(here, 'results'), { recursive: true })
    await writeFile(path.join(here, 'results', 'wall-soak.json'), `${JSON.stringify(result, null, 2)}\n`)
    process.stdout.write(
      `${JSON.stringify({ ...result, soak: { ...soaked, samples: soaked.samples.length } }, null, 2)}\n`,
    )
  } finally {
    await browser.close()
    await server.stop()
  }
}
