import { readFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../server/src/access/users'
import { requestJson } from '../../server/test/support/http'
import { startTestServer, type TestServer, testTokens } from '../../server/test/support/test-server'
import { seedLeaderData } from './leader-fixtures'
import { browserUnavailable, launchBrowser, saveScreenshot, watchErrors } from './support/browser'

const skip = browserUnavailable()
/** Polls long enough for a loaded two-core machine (the default second is not). */
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 200 })
const user = { name: 'lan', password: 'mật-khẩu-lãnh-đạo' }

describe.skipIf(skip)('leader view in a real browser', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  let errors: string[]
  beforeAll(async () => {
    server = await startTestServer()
    await seedLeaderData(server.deps, new Date())
    await upsertUser(server.deps.sql, { ...user, role: 'leader' })
    browser = await launchBrowser()
    const context = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      acceptDownloads: true,
    })
    page = await context.newPage()
    errors = watchErrors(page)
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** What the KPI API says for the page's current window and filters (the tile must agree). */
  async function apiKpis(extra: Record<string, string> = {}) {
    const window = await page.evaluate(() => {
      const el = document.querySelector('[data-window-from]') as HTMLElement | null
      return el ? { from: el.dataset.windowFrom!, to: el.dataset.windowTo! } : null
    })
    const q = new URLSearchParams({ ...window!, ...extra })
    return (await requestJson(`${server.url}/api/v1/kpis?${q}`, { token: testTokens.leader })).body
  }
  /** The tile and the API agree for the window the page shows (polled while the page settles). */
  async function tileMatchesApi(extra: Record<string, string>) {
    const kpis = await apiKpis(extra)
    return Number(await tile('tickets.received')) === kpis.tickets.received
  }
  const tile = (metric: string) => page.locator(`[data-metric="${metric}"]`).getAttribute('data-value')
  const noHorizontalScroll = () =>
    page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)

  it('asks for a login, then shows the city with its map and KPI tiles', async () => {
    await page.goto(`${server.url}/`)
    await page.waitForURL(/\/login/)
    await page.waitForSelector('input[name=name]')
    await saveScreenshot(page, 'leader-login-1366x768')
    await page.fill('input[name=name]', user.name)
    await page.fill('input[name=password]', 'sai-mật-khẩu')
    await page.click('button[type=submit]')
    await poll(() => page.locator('[role=alert]').textContent()).toContain('Sai tên hoặc mật khẩu')
    await page.fill('input[name=password]', user.password)
    await page.click('button[type=submit]')
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    await page.waitForSelector('[data-metric="tickets.received"]')
    const kpis = await apiKpis()
    expect(kpis.tickets.received).toBeGreaterThan(20)
    expect(Number(await tile('tickets.received'))).toBe(kpis.tickets.received)
    // Compared with the previous period: an arrow on the tile.
    expect(await page.locator('[data-metric="tickets.received"] .delta').getAttribute('data-direction')).toBe(
      'up',
    )
    expect(await page.locator('h1').first().textContent()).toBe('Thành phố Phan Thiết')
    expect(await noHorizontalScroll()).toBe(true)
    await saveScreenshot(page, 'leader-city-1366x768')
    await page.setViewportSize({ width: 1920, height: 1080 })
    await page.waitForTimeout(300)
    await saveScreenshot(page, 'leader-city-1920x1080')
    await page.setViewportSize({ width: 1366, height: 768 })
    // The keyboard starts at a skip link to the content.
    await page.locator('body').focus()
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('href'))).toBe('#main')
    // The light theme, chosen with the keyboard.
    await page.getByRole('button', { name: 'Giao diện sáng' }).focus()
    await page.keyboard.press('Enter')
    await poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light')
    await page.waitForTimeout(300)
    await saveScreenshot(page, 'leader-city-light-1366x768')
    await page.getByRole('button', { name: 'Giao diện tối' }).click()
  })

  it('filters by ward and date, kept in the URL, and every number follows', async () => {
    // The ward select opens the ward's view, the one a map click opens (issue #19).
    await page.selectOption('select[name=ward]', '22930')
    await page.waitForURL(/\/ward\/22930/)
    await poll(() => tileMatchesApi({ ward: '22930' })).toBe(true)
    await page.click('[data-preset="today"]')
    await page.waitForURL(/preset=today/)
    await poll(() => page.locator('[data-window-from]').getAttribute('data-days')).toBe('1')
    await poll(() => tileMatchesApi({ ward: '22930' })).toBe(true)
    // A procedure field narrows the dossier figures to that field (from the per-field breakdown).
    await page.click('[data-preset="7d"]')
    await page.selectOption('select[name=ward]', '')
    await page.selectOption('select[name=field]', 'Hộ tịch')
    await page.waitForURL(/field=/)
    await poll(async () => {
      const w = await page.locator('[data-window-from]').evaluate((el) => (el as HTMLElement).dataset)
      const q = new URLSearchParams({ from: w.windowFrom!, to: w.windowTo!, by: 'field' })
      const b = (await requestJson(`${server.url}/api/v1/kpis/breakdown?${q}`, { token: testTokens.leader }))
        .body
      const group = b.groups.find((g: { key: string }) => g.key === 'Hộ tịch')
      const expected = group?.kpis.dossiers.received ?? 0
      return expected > 0 && Number(await tile('dossiers.received')) === expected
    }).toBe(true)
    // Three changes as quickly as a leader clicks: the page ends on the URL's filters.
    await page.selectOption('select[name=field]', '')
    await page.selectOption('select[name=ward]', '22930')
    await page.click('[data-preset="today"]')
    await page.waitForURL(
      (url) =>
        url.searchParams.get('preset') === 'today' &&
        url.pathname === '/ward/22930' &&
        !url.searchParams.get('field'),
    )
    // Until then it marks what it shows as loading; once it does not, the figures are the URL's.
    await page.waitForSelector('main [aria-busy="false"]', { timeout: 15_000 })
    expect(await page.locator('[data-window-from]').getAttribute('data-days')).toBe('1')
    expect(await tileMatchesApi({ ward: '22930' })).toBe(true)
    const shown = await tile('tickets.received')
    // The URL is the view: opening it afresh shows its filters and the same numbers.
    await page.goto(page.url())
    await page.waitForSelector('main [aria-busy="false"]', { timeout: 15_000 })
    expect(await page.locator('[data-window-from]').getAttribute('data-days')).toBe('1')
    expect(await page.locator('select[name=ward]').inputValue()).toBe('22930')
    expect(await tile('tickets.received')).toBe(shown)
    expect(await tileMatchesApi({ ward: '22930' })).toBe(true)
    await page.goto(`${server.url}/`)
  })

  it('drills from the map to a ward, then to a ticket and its timeline', async () => {
    // The alerts to handle come first on the page; a leader scrolls down to the map.
    await page.locator('.map-wards').first().scrollIntoViewIfNeeded()
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    // A ward's label sits at its pole of inaccessibility: clicking there hits the ward's polygon.
    const label = page.locator('.ward-label', { hasText: /^Phú Trinh$/ })
    // The map sits below the alerts and tiles: bring the label on screen before clicking it.
    await label.scrollIntoViewIfNeeded()
    const box = (await label.boundingBox())!
    await page.evaluate(() => document.querySelector('.maplibregl-canvas')?.setAttribute('data-city-map', ''))
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.waitForURL(/\/ward\/22930/)
    // The page stays: the city's figures (dimmed until the ward's land) and the same map, which
    // flies to the ward, rather than an empty page and a new map.
    expect(await page.locator('.view [data-metric="tickets.received"]').count()).toBe(1)
    expect(await page.locator('.maplibregl-canvas[data-city-map]').count()).toBe(1)
    await poll(() => page.locator('.ward-title').textContent()).toContain('Phường Phú Trinh')
    await page.waitForSelector('[data-metric="tickets.received"] .city')
    expect(await noHorizontalScroll()).toBe(true)
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    // Once the map has flown to the ward, its name shows (too small to label over the city).
    await page
      .locator('.ward-label', { hasText: /^Phú Trinh$/ })
      .waitFor({ state: 'visible', timeout: 10_000 })
    await saveScreenshot(page, 'leader-ward-1366x768')
    const first = page.locator('tbody tr a').first()
    await first.click()
    await page.waitForURL(/\/tickets\/e2e\/T-/)
    await page.waitForSelector('[data-test=version]')
    expect(await page.locator('[data-test=reporter]').textContent()).toContain('Trần Thị Bích')
    expect(await page.locator('[data-test=sla]').textContent()).toMatch(/hạn|Đã xong/)
    await saveScreenshot(page, 'leader-ticket-1366x768')

    // The item's request fails once (the server went away): the page says so and offers to retry.
    const itemUrl = new URL(page.url()).pathname
    const errorsBefore = errors.length
    let aborted = 0
    await page.route(`**/api/v1${itemUrl}`, (route) => (aborted++ === 0 ? route.abort() : route.continue()))
    await page.reload()
    await page.waitForSelector('.error[role=alert] button')
    expect(await page.locator('.error[role=alert]').textContent()).toContain('Không tải được')
    await saveScreenshot(page, 'leader-ticket-failed-1366x768')
    await page.click('.error[role=alert] button')
    await page.waitForSelector('[data-test=version]')
    expect(await page.locator('.error[role=alert]').count()).toBe(0)
    await page.unroute(`**/api/v1${itemUrl}`)
    // The browser's own report of the failed request, and nothing else.
    expect(errors.splice(errorsBefore)).toEqual(['Failed to load resource: net::ERR_FAILED'])
  })

  it('switches to English and back, the choice kept on this browser', async () => {
    await page.goto(`${server.url}/`)
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    const nav = () => page.locator('header nav a').first().textContent()
    expect(await nav()).toBe('Tổng quan')
    await page.click('button[aria-label="Ngôn ngữ"]')
    await poll(nav).toBe('Overview')
    await page.reload()
    await poll(nav).toBe('Overview')
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    expect(await page.locator('[data-metric="tickets.received"] .label').first().textContent()).toMatch(
      /^[A-Za-z ]+$/,
    )
    // Categories and units by their English names (wards keep theirs): chart, filters, list.
    const wasteBar = () => page.locator('[data-chart="category"] [data-bar="waste"]').textContent()
    expect(await wasteBar()).toMatch(/^Waste and garbage: /)
    await saveScreenshot(page, 'leader-city-english-1366x768')
    await page.goto(`${server.url}/tickets?preset=7d&category=waste`)
    await page.waitForSelector('tbody tr')
    expect(await page.locator('select[name=category] option[value=waste]').textContent()).toBe(
      'Waste and garbage',
    )
    expect(await page.locator('tbody').textContent()).toContain('Waste and garbage')
    expect(await page.locator('tbody').textContent()).not.toContain('Rác thải')
    await saveScreenshot(page, 'leader-tickets-english-1366x768')
    await page.click('button[aria-label="Language"]')
    await poll(nav).toBe('Tổng quan')
    await poll(() => page.locator('select[name=category] option[value=waste]').textContent()).toBe('Rác thải')
    await page.goto(`${server.url}/`)
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    expect(await wasteBar()).toMatch(/^Rác thải: /)
  })

  it('exports exactly the filtered list as CSV', async () => {
    await page.goto(`${server.url}/tickets?preset=7d&category=waste`)
    await page.waitForSelector('tbody tr')
    const shown = await page
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id))
    expect(shown.length).toBeGreaterThan(2)
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-test=csv]')])
    const csv = (await readFile((await download.path())!, 'utf8')).replace(/^\uFEFF/, '')
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toContain('Nội dung')
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(shown)
    expect(await noHorizontalScroll()).toBe(true)
    await saveScreenshot(page, 'leader-tickets-1366x768')
    await page.goto(`${server.url}/dossiers`)
    await page.waitForSelector('tbody tr')
    expect(await noHorizontalScroll()).toBe(true)
    await saveScreenshot(page, 'leader-dossiers-1366x768')
    // A bar of the category chart leads to the filtered list too (keyboard path of the chart).
    await page.goto(`${server.url}/`)
    await page.locator('[data-chart="category"] [data-bar="lighting"]').focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/tickets\?.*category=lighting/)
  })

  it('follows new data live while a snapshot stays frozen', async () => {
    await page.goto(`${server.url}/`)
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    const before = Number(await tile('tickets.received'))
    await page.click('[data-test=snapshot]')
    const link = (await page.locator('[data-test=snapshot-link]').getAttribute('href'))!
    await seedMore(server, 5)
    // The live page follows the stream without a reload.
    await expect.poll(() => tile('tickets.received').then(Number), { timeout: 20_000 }).toBe(before + 5)

    const snap = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    await snap.goto(link)
    await snap.waitForSelector('[data-snapshot-ready="true"]', { timeout: 45_000 })
    expect(Number(await snap.locator('[data-metric="tickets.received"]').getAttribute('data-value'))).toBe(
      before,
    )
    expect(await snap.locator('[data-test=snapshot-banner]').textContent()).toContain('Bản chụp lúc')
    await saveScreenshot(snap, 'leader-snapshot-1366x768')
    await snap.close()
    // Only the expected refusals: the session check before login and the wrong password.
    expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([])
  })
})

async function seedMore(server: TestServer, n: number) {
  const { ingestItems } = await import('../../server/src/feeds/ingest')
  const at = new Date(Date.now() - 20 * 60_000).toISOString()
  await ingestItems(
    server.deps,
    'tickets',
    Array.from({ length: n }, (_, i) => ({
      source: 'e2e',
      ref: `NEW-${i}`,
      updatedAt: at,
      category: 'waste',
      title: 'Phản ánh mới',
      location: { lat: 10.93, lng: 108.1 },
      wardCode: '22930',
      status: 'received',
      receivedAt: at,
    })) as never[],
  )
}
