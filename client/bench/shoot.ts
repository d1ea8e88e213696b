// Screenshots of every scene at the wall's sizes, in both languages, for looking at:
// `npx tsx client/bench/shoot.ts <wall url> [out dir] [scene] [WxH,WxH…]`.
import { launchBrowser } from '../e2e/support/browser'

const [url, outDir = '/tmp/shots', only, sizeList] = process.argv.slice(2)
const sizes = sizeList
  ? sizeList.split(',').map((s) => s.split('x').map(Number) as [number, number])
  : ([
      [1920, 1080],
      [3840, 2160],
      [1366, 768],
      [3840, 1080],
    ] as const)
for (const [width, height] of sizes) {
  for (const lang of (process.env.LANGS ?? 'vi,en').split(',')) {
    // A browser each: a second 4K map in the same (software-rendered) Chromium may never draw.
    const browser = await launchBrowser()
    const page = await browser.newPage({ viewport: { width, height } })
    page.on('console', (m) => m.type() === 'error' && console.log('console error:', m.text()))
    page.on('pageerror', (e) => console.log('page error:', e.message))
    for (const scene of ['overview', 'tickets', 'procedures', 'satisfaction', 'units']) {
      if (only && only !== 'all' && only !== scene) continue
      const u = new URL(url!)
      u.searchParams.set('scene', scene)
      u.searchParams.set('lang', lang)
      await page.goto(u.toString())
      await page.waitForSelector(`[data-scene="${scene}"]`, { timeout: 60_000 })
      if (scene === 'overview') await page.waitForSelector('[data-map-ready="true"]', { timeout: 150_000 })
      await page.waitForTimeout(3000)
      await page.screenshot({ path: `${outDir}/${scene}-${width}x${height}-${lang}.png` })
      console.log(scene, width, height, lang)
    }
    await browser.close()
  }
}
