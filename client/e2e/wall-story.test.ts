import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestServer,
  type TestServer,
  testFeedSource,
  testTokens,
} from '../../server/test/support/test-server'
import { browserUnavailable, launchBrowser, saveScreenshot } from './support/browser'
import { seedWallData } from './support/wallData'

const skip = browserUnavailable()

// What a leader catches in the first minute (issue 19): comments, map counts, the alert strip's
// facts and the unfinished day, checked where a browser sees them.
describe.skipIf(skip)('the wall tells the truth', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  beforeAll(async () => {
    server = await startTestServer()
    await seedWallData(server.url, testTokens.feed, {
      now: new Date(),
      source: testFeedSource,
      tickets: 300,
      dossiers: 900,
      surveys: 300,
    })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await page.goto(`${server.url}/wall?token=${testTokens.display}&scene=overview&lang=vi`)
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('lists the latest comments newest first, by their own time', async () => {
    await page.goto(`${server.url}/wall?scene=satisfaction&lang=vi`)
    await page.waitForSelector('.comments li[data-at]', { timeout: 30_000 })
    const times = await page.$$eval('.comments li[data-at]', (items) =>
      items.map((li) => Date.parse((li as HTMLElement).dataset.at!)),
    )
    expect(times.length).toBeGreaterThan(2)
    expect(times).toEqual([...times].sort((a, b) => b - a))
    expect(Date.now() - times[0]!).toBeLessThan(3 * 86_400_000)
    await saveScreenshot(page, 'wall-story-satisfaction-1920')
  })

  it('frames the map on the busy wards and labels every cluster with its count', async () => {
    await page.goto(`${server.url}/wall?scene=overview&lang=vi`)
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 })
    await page.waitForSelector('.cluster-count', { timeout: 30_000 })
    const counts = await page.$$eval('.cluster-count', (els) => els.map((e) => e.textContent ?? ''))
    expect(counts.length).toBeGreaterThan(0)
    for (const c of counts) expect(c).toMatch(/^\d[\d.]*$/)
    expect(await page.getAttribute('.map-panel', 'data-frame')).not.toBe('')
    expect(await page.locator('.map-panel .inset').count()).toBe(1)
    await saveScreenshot(page, 'wall-story-overview-1920')
  })

  it('keeps the ward, the overdue time and the owner whole on the alert strip at 1920x1080', async () => {
    await page.waitForSelector('.alert-strip li', { timeout: 30_000 })
    const items = await page.$$eval('.alert-strip li:not([data-wrapped="true"])', (lis) =>
      lis.map((li) => {
        const meta = li.querySelector('.meta') as HTMLElement
        const strip = li.closest('.alert-strip')!.getBoundingClientRect()
        const box = meta.getBoundingClientRect()
        return {
          text: meta.textContent ?? '',
          clipped: meta.scrollWidth > meta.clientWidth + 1,
          inside: box.right <= strip.right + 1 && box.left >= strip.left,
          owner: !!li.querySelector('.owner') || !!li.querySelector('.directed'),
        }
      }),
    )
    expect(items.length).toBeGreaterThan(0)
    for (const item of items) {
      expect(item.text).toMatch(/quá hạn \d+ (phút|giờ|ngày)/)
      expect(item.clipped).toBe(false)
      expect(item.inside).toBe(true)
      expect(item.owner).toBe(true)
    }
  })

  it("marks the trend's last day as not over", async () => {
    await page.goto(`${server.url}/wall?scene=tickets&lang=vi`)
    await page.waitForSelector('.chart[data-partial-last="true"]', { timeout: 30_000 })
    expect(await page.getAttribute('.chart[data-partial-last="true"]', 'data-partial-label')).toBe(
      'hôm nay (chưa hết ngày)',
    )
    await saveScreenshot(page, 'wall-story-tickets-1920')
  })
})
