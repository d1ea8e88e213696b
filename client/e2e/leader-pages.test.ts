import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ingestItems } from '../../server/src/feeds/ingest'
import { startTestServer, type TestServer, testTokens } from '../../server/test/support/test-server'
import { seedLeaderData } from './leader-fixtures'
import { browserUnavailable, launchBrowser, watchErrors } from './support/browser'

// The leader's detail pages and the small things a leader meets first (issue #19): dossiers
// named by their procedure, the ticket and dossier pages' facts and map, list cells that can
// be read whole, the snapshot button's label and toast, and the login page's account hint.

const skip = browserUnavailable()
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 200 })
const shots = process.env.SHOTS_DIR ?? '/tmp/shots-leader-pages'

describe.skipIf(skip)('leader detail pages in a real browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let errors: string[]
  const shot = async (name: string) => {
    await mkdir(shots, { recursive: true })
    await page.screenshot({ path: path.join(shots, `${name}.png`) })
  }
  beforeAll(async () => {
    server = await startTestServer()
    await seedLeaderData(server.deps, new Date())
    const at = new Date(Date.now() - 3 * 3600_000).toISOString()
    await ingestItems(server.deps, 'tickets', [
      {
        source: 'e2e',
        ref: 'T-DESC',
        updatedAt: at,
        category: 'lighting',
        title: 'Đèn đường tắt cả đoạn',
        description: 'Cả đoạn đường từ số 10 đến số 40 không có đèn từ ba hôm nay, rất nguy hiểm.',
        location: { lat: 10.9289, lng: 108.1022 },
        address: '10 Trần Hưng Đạo',
        wardCode: '22930',
        status: 'received',
        receivedAt: at,
      },
    ] as never[])
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    errors = watchErrors(page)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('tells a newcomer on the login page whom to ask for an account, in both languages', async () => {
    await page.goto(`${server.url}/login`)
    await page.waitForSelector('[data-test=no-account]')
    expect(await page.locator('[data-test=no-account]').textContent()).toContain('quản trị viên citydeck')
    await shot('login-vi-1366x768')
    await page.evaluate(() => localStorage.setItem('citydeck.lang', 'en'))
    await page.reload()
    await poll(() => page.locator('[data-test=no-account]').textContent()).toContain('citydeck administrator')
    await shot('login-en-1366x768')
    await page.evaluate(() => localStorage.setItem('citydeck.lang', 'vi'))
  })

  it('names dossiers by their procedure, with the code on hover, and shows the dossier page', async () => {
    await page.goto(`${server.url}/dossiers?token=${testTokens.leader}&preset=7d`)
    const first = page.locator('tbody tr td:nth-child(2)').first()
    await poll(() => first.textContent()).toMatch(/^Thủ tục /)
    expect(await first.getAttribute('title')).toMatch(/^1\.00\d · Thủ tục /)
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true)
    await shot('dossiers-vi-1366x768')
    await page.locator('tbody tr[data-id="e2e:HS-2"] a').click()
    await page.waitForSelector('[data-test=field]')
    expect(await page.locator('h2').first().textContent()).toBe('Thủ tục đất đai')
    expect(await page.locator('[data-test=field]').textContent()).toBe('Đất đai')
    expect(await page.locator('[data-test=channel]').textContent()).toContain('Thủ tục trực tuyến một phần')
    expect(await page.locator('[data-test=finished]').count()).toBe(1)
    await shot('dossier-page-vi-1366x768')
  })

  it('shows the ticket page with category, received time, description, address and its map', async () => {
    await page.goto(`${server.url}/tickets/e2e/T-DESC`)
    await page.waitForSelector('[data-test=description]')
    expect(await page.locator('[data-test=category]').textContent()).toBe('Chiếu sáng công cộng')
    expect(await page.locator('[data-test=received]').textContent()).toMatch(/\d\d:\d\d/)
    expect(await page.locator('[data-test=description]').textContent()).toContain('không có đèn')
    await page.waitForSelector('.location [data-map-ready="true"]', { timeout: 30_000 })
    expect(await page.locator('.maplibregl-canvas').count()).toBe(1)
    await page.locator('.location').scrollIntoViewIfNeeded()
    await shot('ticket-page-vi-1366x768')
  })

  it('lets every cut list cell be read whole, and labels the snapshot expiry', async () => {
    await page.goto(`${server.url}/tickets?preset=7d`)
    await page.waitForSelector('tbody tr')
    const cut = await page.evaluate(() =>
      [...document.querySelectorAll('tbody td')]
        .filter((td) => td.scrollWidth > td.clientWidth + 1 || td.scrollHeight > td.clientHeight + 1)
        .filter((td) => (td as HTMLElement).title !== td.textContent?.trim())
        .map((td) => td.textContent),
    )
    expect(cut).toEqual([])
    await shot('tickets-vi-1366x768')
    const expiry = page.getByLabel('Hạn liên kết')
    expect(await expiry.evaluate((el) => el.tagName)).toBe('SELECT')
    await page.click('[data-test=snapshot]')
    await page.waitForSelector('[data-test=snapshot-link]')
    // The toast sits at the foot of the screen, clear of the filter bar.
    const toast = (await page.locator('[data-test=snapshot-toast]').boundingBox())!
    const bar = (await page.locator('.filter-row').boundingBox())!
    expect(toast.y).toBeGreaterThan(bar.y + bar.height)
    await shot('snapshot-toast-vi-1366x768')
  })

  it('reads the same in English', async () => {
    await page.evaluate(() => localStorage.setItem('citydeck.lang', 'en'))
    await page.goto(`${server.url}/dossiers/e2e/HS-2`)
    await poll(() => page.locator('[data-test=field]').textContent()).toBe('Land')
    expect(await page.locator('[data-test=channel]').textContent()).toContain('Partly online procedure')
    await shot('dossier-page-en-1366x768')
    await page.goto(`${server.url}/tickets/e2e/T-DESC`)
    await poll(() => page.locator('[data-test=category]').textContent()).toBe('Street lighting')
    await page.waitForSelector('.location [data-map-ready="true"]', { timeout: 30_000 })
    await shot('ticket-page-en-1366x768')
    await page.goto(`${server.url}/tickets?preset=7d`)
    await page.waitForSelector('tbody tr')
    expect(await page.getByLabel('Link expiry').count()).toBe(1)
    await shot('tickets-en-1366x768')
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([])
  })
})
