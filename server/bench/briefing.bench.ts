import { writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import path from 'node:path'
import { addDays, localDayOf } from '@citydeck/shared'
import { startBenchServer } from '../../client/bench/server'
import { seedLeaderData } from '../../client/e2e/leader-fixtures'
import { repoRoot } from '../src/config'
import { closeRenderBrowser } from '../src/snapshots/render'

/**
 * `npm run bench -- briefing`: how long the daily briefing's PDF takes to print (issue #19: aim
 * under 3 s), cold (the first render of a process: playwright loaded, Chromium launched) and
 * warm (the Chromium kept by server/src/snapshots/render.ts), through the real route
 * `GET /api/v1/snapshots/:id.pdf`, each render a new snapshot (the render cache never answers);
 * and the whole daily briefing (`POST /api/v1/briefings`: freeze the day, print, write the file)
 * on a server with no browser running, by the server's own start and finish times.
 * Writes server/bench/results/briefing.json. Needs the client built and Debian's chromium.
 */
const out = path.join(repoRoot, 'server/bench/results/briefing.json')
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const aimMs = 3000

export async function run(): Promise<void> {
  const leaderToken = 'bench-leader-secret'
  const server = await startBenchServer({ BRIEFING_SCHEDULE: '', API_TOKENS: `leader=${leaderToken}` })
  try {
    const now = new Date()
    await seedLeaderData(server.deps, now, 300)
    const day = addDays(localDayOf(now, server.deps.city.profile.timeZone), -1)
    const render = async () => {
      const created = await fetch(`${server.url}/api/v1/snapshots`, {
        method: 'POST',
        headers: { authorization: `Bearer ${leaderToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          view: 'city',
          filters: { preset: 'custom', from: day, to: day },
          title: 'Bench',
        }),
      })
      const { id } = (await created.json()) as { id: string }
      const started = performance.now()
      const res = await fetch(`${server.url}/api/v1/snapshots/${id}.pdf`)
      const bytes = (await res.arrayBuffer()).byteLength
      if (res.status !== 200) throw new Error(`render answered ${res.status}`)
      return { ms: Math.round(performance.now() - started), bytes }
    }
    const auth = { authorization: `Bearer ${leaderToken}` }
    /** The daily briefing as the Briefings page makes it: freeze the day, print it, write it. */
    const briefing = async (date: string) => {
      const res = await fetch(`${server.url}/api/v1/briefings`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ date }),
      })
      if (res.status !== 202) throw new Error(`briefing answered ${res.status}`)
      for (;;) {
        await new Promise((r) => setTimeout(r, 100))
        const list = (await (await fetch(`${server.url}/api/v1/briefings`, { headers: auth })).json()) as {
          items: Array<{ day: string; status: string; startedAt: string; finishedAt: string | null }>
        }
        const row = list.items.find((b) => b.day === date)
        if (row?.status === 'failed') throw new Error(`briefing of ${date} failed`)
        // The server's own clock: from the claim to the file written.
        if (row?.status === 'done') return Date.parse(row.finishedAt!) - Date.parse(row.startedAt)
      }
    }
    const cold: number[] = []
    const warm: number[] = []
    const briefings: number[] = []
    for (let i = 0; i < rounds; i++) {
      await closeRenderBrowser()
      briefings.push(await briefing(addDays(day, -i)))
      await closeRenderBrowser()
      cold.push((await render()).ms)
      warm.push((await render()).ms)
    }
    for (let i = 1; i < rounds; i++) warm.push((await render()).ms)
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
    const result = {
      when: new Date().toISOString(),
      tickets: 300,
      briefingCold: { runsMs: briefings, medianMs: median(briefings) },
      cold: { runsMs: cold, medianMs: median(cold) },
      warm: { runsMs: warm, medianMs: median(warm) },
      aimMs,
      loadAverage: loadavg().map((n) => Math.round(n * 10) / 10),
    }
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    await writeFile(out, `${JSON.stringify(result, null, 2)}\n`)
  } finally {
    await closeRenderBrowser()
    await server.stop()
  }
}
