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

  it('places the ward names at 3840x2160 whole, apart and at full size', async () => {
    const wall = await browser.newPage({ viewport: { width: 3840, height: 2160 } })
    await wall.goto(`${server.url}/wall?token=${testTokens.display}&scene=overview&lang=vi`)
    await wall.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 })
    const read = () =>
      wall.evaluate(() => {
        const frame = document.querySelector('.map-wards')!.getBoundingClientRect()
        const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize)
        const visible = [...document.querySelectorAll<HTMLElement>('.ward-label')].filter(
          (e) => getComputedStyle(e).visibility !== 'hidden',
        )
        const box = (r: DOMRect, name: string | null) => ({
          name,
          left: r.left,
          top: r.top,
          right: r.right,
          bottom: r.bottom,
        })
        return {
          frame: { left: frame.left, top: frame.top, right: frame.right, bottom: frame.bottom },
          rem,
          covers: [...document.querySelectorAll('[data-map-cover]')].map((c) =>
            box(c.getBoundingClientRect(), c.getAttribute('class')),
          ),
          labels: visible.map((e) => {
            const r = e.getBoundingClientRect()
            const size = Number.parseFloat(getComputedStyle(e).fontSize)
            return { name: e.textContent, size, left: r.left, top: r.top, right: r.right, bottom: r.bottom }
          }),
        }
      })
    const { frame, rem, labels, covers } = await read()
    expect(covers.length).toBe(2)
    // The urban core is framed, so several of its wards are named.
    expect(labels.length).toBeGreaterThanOrEqual(5)
    const collisions: string[] = []
    labels.forEach((a, i) => {
      // Whole: inside the map; tall enough for the letters; never below the wall's smallest text.
      expect(a.left >= frame.left && a.right <= frame.right, String(a.name)).toBe(true)
      expect(a.top >= frame.top && a.bottom <= frame.bottom, String(a.name)).toBe(true)
      expect(a.bottom - a.top).toBeGreaterThanOrEqual(a.size * 1.2)
      expect(a.size).toBeGreaterThanOrEqual(0.8 * rem - 0.5)
      // Apart from each other and from the legend and the inset over the map.
      for (const b of [...labels.slice(i + 1), ...covers]) {
        if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
          collisions.push(`${a.name} × ${b.name}`)
      }
    })
    expect(collisions).toEqual([])
    await saveScreenshot(wall, 'wall-story-labels-3840')
    await wall.close()
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
