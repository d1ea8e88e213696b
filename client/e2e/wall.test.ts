import type { Browser, BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  startTestServer,
  type TestServer,
  testFeedSource,
  testTokens,
} from '../../server/test/support/test-server'
import {
  browserUnavailable,
  countCanvasPixels,
  launchBrowser,
  saveScreenshot,
  watchErrors,
} from './support/browser'
import { seedWallData } from './support/wallData'
import { apiValues, chartInk, hasScrollbars, readTiles, todayKpis } from './support/wallPage'

const skip = browserUnavailable()

describe.skipIf(skip)('the wall in a real browser', () => {
  let server: TestServer
  let browser: Browser
  let context: BrowserContext
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
    context = await browser.newContext({ viewport: { width: 1920, height: 1080 } })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('exchanges the display token for a cookie and takes it out of the address bar', async () => {
    const page = await context.newPage()
    await page.goto(`${server.url}/wall?token=${testTokens.display}&scene=overview&lang=vi`)
    await page.waitForSelector('[data-scene="overview"]', { timeout: 30_000 })
    expect(new URL(page.url()).search).toBe('?scene=overview&lang=vi')
    const cookies = await context.cookies()
    const session = cookies.find((c) => c.name === 'citydeck_session')
    expect(session?.httpOnly).toBe(true)
    // Valid for a long time: the bookmark keeps working after restarts.
    expect(session!.expires * 1000 - Date.now()).toBeGreaterThan(300 * 24 * 3600_000)
    await page.close()

    // A screen with no token and no cookie: a calm message in both languages, never a login form.
    const stranger = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    await stranger.goto(`${server.url}/wall`)
    await stranger.waitForSelector('.needs-token[data-reason="needs-token"]', { timeout: 30_000 })
    const text = await stranger.locator('.needs-token').textContent()
    expect(text).toContain('mã hiển thị')
    expect(text).toContain('display-token URL')
    expect(await stranger.locator('input, form').count()).toBe(0)
    await stranger.close()
  })

  it('speaks English with ?lang=en (its strings fetched before the first draw)', async () => {
    const page = await context.newPage()
    const errors = watchErrors(page)
    await page.goto(`${server.url}/wall?scene=overview&lang=en`)
    await page.waitForSelector('.wall-screen[data-connection="connected"]', { timeout: 30_000 })
    expect(await page.locator('.wall-header .scene').textContent()).toBe('Overview')
    expect(await page.locator('.kpi-tile[data-metric="tickets.received"] .label').textContent()).toBe(
      'Reports today',
    )
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(errors).toEqual([])
    await page.close()
  })

  it("shows the city's time and date, not the browser's, on a screen set to another zone", async () => {
    // A wall whose browser runs in UTC (7 hours behind Phan Thiết) or in Honolulu (17 behind).
    for (const timezoneId of ['UTC', 'Pacific/Honolulu']) {
      const elsewhere = await browser.newContext({ viewport: { width: 1920, height: 1080 }, timezoneId })
      const page = await elsewhere.newPage()
      await page.goto(`${server.url}/wall?token=${testTokens.display}&scene=overview&lang=vi`)
      await page.waitForSelector('.wall-screen[data-connection="connected"]', { timeout: 30_000 })
      const clock = await page.locator('.wall-header .clock').textContent()
      const zone = await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)
      expect(zone).toBe(timezoneId)
      const city = (style: Intl.DateTimeFormatOptions) =>
        new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hourCycle: 'h23', ...style }).format(
          new Date(),
        )
      // The date, and the hour and minute (the clock ticks each second; read it within a minute).
      expect(clock).toContain(city({ day: '2-digit', month: '2-digit', year: 'numeric' }))
      const [hh, mm] = clock!.split(' · ')[0]!.split(':').map(Number)
      const [ch, cm] = city({ hour: '2-digit', minute: '2-digit' }).split(':').map(Number)
      expect(Math.abs(hh! * 60 + mm! - (ch! * 60 + cm!)) % (24 * 60)).toBeLessThanOrEqual(1)
      await elsewhere.close()
    }
  })

  // Full HD, 4K, and a 32:9 strip (the scenes' wide layouts).
  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
    [3840, 1080],
  ] as const) {
    for (const scene of ['overview', 'tickets', 'procedures', 'satisfaction'] as const) {
      it(`draws the ${scene} scene at ${width}x${height} without errors or scrollbars`, async () => {
        const page = await context.newPage()
        await page.setViewportSize({ width, height })
        const errors = watchErrors(page)
        // The bookmark: no token, the cookie from the first visit.
        await page.goto(`${server.url}/wall?scene=${scene}`)
        await page.waitForSelector(`[data-scene="${scene}"]`, { timeout: 30_000 })
        await page.waitForSelector('.wall-screen[data-connection="connected"]', { timeout: 30_000 })
        if (scene === 'overview') {
          await page.waitForSelector('[data-map-ready="true"]', { timeout: 60_000 })
          const filled = await countCanvasPixels(page, [0x1d, 0x3a, 0x66], 60)
          expect(filled).toBeGreaterThan(10_000)
          await expect
            .poll(() => page.locator('[data-points]').getAttribute('data-points'), { timeout: 20_000 })
            .not.toBe('0')
        } else {
          // Every chart on the scene has drawn something.
          await expect
            .poll(async () => (await chartInk(page)).filter((ink) => ink > 0.002).length, { timeout: 45_000 })
            .toBeGreaterThan(0)
          const ink = await chartInk(page)
          expect(ink.every((share) => share > 0.002)).toBe(true)
        }
        // KPI tiles show what the KPI API says for the same scope and window.
        const tiles = await readTiles(page)
        if (Object.keys(tiles).length > 0 && scene !== 'satisfaction') {
          await expect
            .poll(async () => JSON.stringify(await readTiles(page)), { timeout: 20_000 })
            .toBe(
              JSON.stringify(apiValues(await todayKpis(server.url, testTokens.display), Object.keys(tiles))),
            )
        }
        expect(await hasScrollbars(page)).toBe(false)
        await saveScreenshot(page, `wall-${scene}-${width}x${height}`)
        expect(errors).toEqual([])
        await page.close()
      })
    }
  }
})
