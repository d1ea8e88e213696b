import { chromium } from 'playwright-core'
import { backlogCase } from './backlog'
import { chromiumLaunchArgs } from '../../server/src/snapshots/render'

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: chromiumLaunchArgs })
const size = Number(process.env.N ?? 20000)
const t0 = Date.now()
const r = await backlogCase(browser, size, async (page) => {
  const start = Date.now()
  const frames: Record<string, number> = {}
  page.on('websocket', (ws) => ws.on('framereceived', (f) => {
    const s = String(f.payload); const m = s.match(/^\d+\/live,\["(\w+)"/); const k = m ? m[1]! : s.slice(0, 12)
    frames[k] = (frames[k] ?? 0) + 1
  }))
  page.on('requestfinished', async (req) => {
    const t = req.timing()
    console.log(`  ${Date.now() - start} ms  ${req.url().replace(/^https?:\/\/[^/]+/, '').slice(0, 90)} (${Math.round(t.responseEnd)} ms)`)
  })
  const h = await page.waitForFunction(() => {
    const map = document.querySelector('[data-map-ready="true"]')
    const points = Number(document.querySelector('[data-points]')?.getAttribute('data-points') ?? 0)
    const tiles = [...document.querySelectorAll<HTMLElement>('.kpi-tile[data-metric]')]
    const filled = tiles.length > 0 && tiles.every((t) => t.dataset.value !== '' || t.dataset.metric!.endsWith('Rate'))
    const connected = document.querySelector('.wall-screen[data-connection="connected"]')
    return map && points > 0 && filled && connected ? performance.now() : null
  }, undefined, { timeout: 120_000, polling: 500 })
  const v = (await h.jsonValue()) as number
  console.log('frames', JSON.stringify(frames), 'draw', v)
  return v
}, 2)
console.log(JSON.stringify(r), 'total', Date.now() - t0)
await browser.close()
process.exit(0)
