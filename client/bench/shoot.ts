// Screenshots of every scene at the wall's sizes, for looking at: `npx tsx client/bench/shoot.ts <wall url>`.
import { launchBrowser } from '../e2e/support/browser'

const [url, outDir = '/tmp/shots', only] = process.argv.slice(2)
const sizes = [
  [1920, 1080],
  [3840, 2160],
  [1366, 768],
  [3840, 1080],
] as const
const browser = await launchBrowser()
for (const [width, height] of sizes) {
  const page = await browser.newPage({ viewport: { width, height } })
  page.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()))
  page.on('pageerror', (e) => console.log('page error:', e.message))
  for (const scene of ['overview', 'tickets', 'procedures', 'satisfaction']) {
    if (only && only !== scene) continue
    const u = new URL(url!)
    u.searchParams.set('scene', scene)
    await page.goto(u.toString())
    await page.waitForSelector(`[data-scene="${scene}"]`, { timeout: 30_000 })
    if (scene === 'overview') await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    await page.waitForTimeout(2500)
    await page.screenshot({ path: `${outDir}/${scene}-${width}x${height}.png` })
    console.log(scene, width, height)
  }
  await page.close()
}
await browser.close()
