import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestServer, type TestServer, testTokens } from '../../server/test/support/test-server'
import {
  browserUnavailable,
  countCanvasPixels,
  launchBrowser,
  saveScreenshot,
  watchErrors,
} from './support/browser'

const skip = browserUnavailable()

describe.skipIf(skip)('first page in a real browser', () => {
  let server: TestServer
  let browser: Browser
  beforeAll(async () => {
    server = await startTestServer()
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  for (const [width, height] of [
    [1920, 1080],
    [1366, 768],
  ] as const) {
    it(`draws the ward map and turns connected at ${width}x${height}`, async () => {
      const page = await browser.newPage({ viewport: { width, height } })
      const errors = watchErrors(page)
      // `/` is the leader view now: a leader's token opens it (a display token goes to /wall).
      await page.goto(`${server.url}/?token=${testTokens.leader}`)
      await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
      await page.waitForSelector('.connection[data-state="connected"]', { timeout: 15_000 })

      // Vietnamese by default, with the profile's ward names on the map.
      expect(await page.locator('h1').textContent()).toBe('Thành phố Phan Thiết')
      expect(await page.locator('.connection .label').textContent()).toBe('Trực tuyến')
      const labels = await page.locator('.ward-label').allTextContents()
      expect(labels).toHaveLength(18)
      expect(labels).toContain('Phú Trinh')

      // The ward fill colour (#1d3a66, blended over the background) covers a real part of the canvas.
      const filled = await countCanvasPixels(page, [0x1d, 0x3a, 0x66], 30)
      const canvasArea = await page.evaluate(() => {
        const c = document.querySelector('canvas.maplibregl-canvas') as HTMLCanvasElement
        return c.width * c.height
      })
      expect(filled / canvasArea).toBeGreaterThan(0.05)
      // And the map reports rendered ward features.
      await saveScreenshot(page, `foundation-home-${width}x${height}`)
      expect(errors).toEqual([])
      await page.close()
    })
  }

  it('sends a display token on / to the wall', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await page.goto(`${server.url}/?token=${testTokens.display}`)
    await page.waitForURL(/\/wall/)
    await page.close()
  })
})
