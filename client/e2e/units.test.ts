import { execFile } from 'node:child_process'
import { mkdir, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { localDayOf } from '@citydeck/shared'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../server/src/access/users'
import { requestJson } from '../../server/test/support/http'
import {
  startTestServer,
  type TestServer,
  testFeedSource,
  testTokens,
} from '../../server/test/support/test-server'
import { browserUnavailable, launchBrowser, saveScreenshot, watchErrors } from './support/browser'
import { postFeed } from './support/wallData'
import { hasScrollbars } from './support/wallPage'

// Unit scorecards and overdue work in a real browser (docs/design.md §10, issue #17): the units table
// worst first, sorting, a unit's page, the overdue list opened from its tile, small samples.
const skip = browserUnavailable()
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 200 })
const shotDir = '/tmp/shots-units'
const leader = { name: 'lan', password: 'mật-khẩu-lãnh-đạo' }
const slow = 'ubnd-22930'
const small = 'ubnd-22915'
const hour = 3_600_000

async function shot(page: Page, name: string) {
  await mkdir(shotDir, { recursive: true })
  await page.screenshot({ path: `${shotDir}/${name}.png` })
  await saveScreenshot(page, name)
}

/**
 * Phú Trinh's committee: 2 tickets overdue, 1 due within the hour, 12 resolved of which 8 on
 * time (66,7 %). Mũi Né's: 3 resolved, all on time: a sample under MIN_SAMPLE, read as 3/3.
 */
function tickets(now: number) {
  const at = (ms: number) => new Date(now + ms).toISOString()
  const ticket = (
    ref: string,
    title: string,
    unit: string,
    ward: string,
    received: number,
    due: number,
    over = {},
  ) => ({
    source: testFeedSource,
    ref,
    updatedAt: at(received),
    category: 'waste',
    title,
    location: { lat: 10.932, lng: 108.1 },
    wardCode: ward,
    unit,
    status: 'in_progress',
    receivedAt: at(received),
    dueAt: at(due),
    address: '12 Trần Hưng Đạo',
    ...over,
  })
  const resolved = (ref: string, unit: string, ward: string, received: number, onTime: boolean) =>
    ticket(ref, `Đã xử lý ${ref}`, unit, ward, received, received + (onTime ? 5 : 0.5) * hour, {
      status: 'resolved',
      resolvedAt: at(received + hour),
      updatedAt: at(received + hour),
    })
  return [
    ticket('OD-1', 'Rác thải tồn đọng trên vỉa hè Trần Hưng Đạo', slow, '22930', -20 * hour, -3 * hour),
    ticket('OD-2', 'Đèn đường không sáng đoạn Lê Lợi', slow, '22930', -10 * hour, -1 * hour),
    ticket('SOON-1', 'Cây đổ chắn lối đi Nguyễn Huệ', slow, '22930', -5 * hour, 0.5 * hour),
    ...Array.from({ length: 12 }, (_, i) => resolved(`R-${i}`, slow, '22930', -(48 + i) * hour, i < 8)),
    ...Array.from({ length: 3 }, (_, i) => resolved(`M-${i}`, small, '22915', -(24 + i) * hour, true)),
  ]
}

const rowUnits = (page: Page) =>
  page.locator('table.units tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')))
const cell = (page: Page, unit: string, col: string) =>
  page.locator(`table.units tr[data-unit="${unit}"] td[data-col="${col}"] .now`)

describe.skipIf(skip)('units: who is behind, and what is waiting on it', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    await postFeed(server.url, testTokens.feed, 'tickets', tickets(Date.now()))
    await upsertUser(server.deps.sql, { ...leader, role: 'leader' })
    browser = await launchBrowser()
    page = await (
      await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' })
    ).newPage()
    errors.push(...watchErrors(page))
    await page.goto(`${server.url}/`)
    await page.waitForSelector('input[name=name]')
    await page.fill('input[name=name]', leader.name)
    await page.fill('input[name=password]', leader.password)
    await page.click('button[type=submit]')
    await page.waitForSelector('.tile[data-metric="tickets.overdue"]', { timeout: 30_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('lists every unit worst first, with the previous period named, small samples as counts and a sparkline', async () => {
    await page.click('nav a[href^="/units"]')
    await page.waitForURL(/\/units/)
    await page.waitForSelector('table.units tbody tr')
    expect(await rowUnits(page)).toEqual([slow, small])
    expect(await page.locator('table.units caption').textContent()).toMatch(/so với \d\d\/\d\d–\d\d\/\d\d/)
    expect(await cell(page, slow, 'overdue').textContent()).toBe('2')
    expect(await cell(page, slow, 'tickets.onTimeRate').textContent()).toMatch(/^66,7\s?%$/)
    const count = cell(page, small, 'tickets.onTimeRate')
    expect(await count.textContent()).toBe('3/3')
    expect(await count.getAttribute('data-small')).toBe('true')
    expect(await count.getAttribute('title')).toContain('Mẫu nhỏ')
    // The previous week had nothing: every figure says so beside it, a count with its arrow.
    expect(
      await page.locator(`tr[data-unit="${slow}"] td[data-col="overdue"] .before`).textContent(),
    ).toContain('kỳ trước 0')
    await page.waitForSelector(`tr[data-unit="${slow}"] svg.spark path[d^="M"]`, { timeout: 30_000 })
    await shot(page, 'units-table-1366')
  })

  it('sorts by a column and back to the rank', async () => {
    const header = (col: string) => page.locator(`thead th[data-col="${col}"] button`)
    await header('tickets.received').click()
    expect(await page.locator('thead th[data-col="tickets.received"]').getAttribute('aria-sort')).toBe(
      'descending',
    )
    expect(await rowUnits(page)).toEqual([slow, small])
    await header('tickets.received').click()
    expect(await rowUnits(page)).toEqual([small, slow])
    // A 3/3 is no rate: sorted by on-time rate, it never comes first, whichever way.
    await header('tickets.onTimeRate').click()
    expect(await rowUnits(page)).toEqual([slow, small])
    await header('tickets.onTimeRate').click()
    expect(await rowUnits(page)).toEqual([slow, small])
    await page.locator('thead th:first-child button').click()
    expect(await rowUnits(page)).toEqual([slow, small])
  })

  it("opens a unit: its tiles against the city's, its overdue work by deadline, its trend", async () => {
    await page.click(`tr[data-unit="${slow}"] th a`)
    await page.waitForURL(new RegExp(`/units/${slow}`))
    await page.waitForSelector('.overdue[data-kind="tickets"] li')
    expect(await page.locator('h2.title .rank').textContent()).toContain('Hạng 1/2')
    const titles = await page.locator('.overdue[data-kind="tickets"] li a').allTextContents()
    expect(titles.map((s) => s.trim())).toEqual([
      'Rác thải tồn đọng trên vỉa hè Trần Hưng Đạo',
      'Đèn đường không sáng đoạn Lê Lợi',
    ])
    const tile = page.locator('.tile[data-metric="tickets.onTimeRate"]')
    expect(await tile.locator('.value').textContent()).toMatch(/66,7\s?%/)
    // The city has 15 resolved, 11 on time: its own rate, said to be the city's as a whole.
    expect(await tile.locator('.city').textContent()).toMatch(/Chung thành phố: 73,3\s?%/)
    expect(await page.locator('.tile[data-metric="tickets.received"] .city').textContent()).toBe(
      'Tổng thành phố: 18',
    )
    expect(await page.locator('.tile[data-metric="tickets.received"] .previous').textContent()).toMatch(
      /Kỳ trước \(\d\d\/\d\d–\d\d\/\d\d\): 0/,
    )
    await page.waitForSelector('.trend canvas')
    await shot(page, 'unit-detail-1366')
  })

  it('the overdue tile opens the overdue list, by deadline; the SLA filter lives in the URL', async () => {
    await page.goto(`${server.url}/`)
    await page.click('.tile[data-metric="tickets.overdue"] button.open')
    await page.waitForURL(/\/tickets\?.*sla=overdue/)
    expect(page.url()).toContain('sort=dueAt')
    const ids = () =>
      page.locator('tr[data-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))
    await poll(ids).toEqual([`${testFeedSource}:OD-1`, `${testFeedSource}:OD-2`])
    expect(await page.locator('select[name=sla]').inputValue()).toBe('overdue')
    await shot(page, 'overdue-list-1366')
    await page.selectOption('select[name=sla]', 'soon')
    await page.waitForURL(/sla=soon/)
    await poll(ids).toEqual([`${testFeedSource}:SOON-1`])
    await page.selectOption('select[name=sla]', '')
    await page.selectOption('select[name=status]', 'resolved')
    await poll(async () => (await ids()).length).toBe(15)
  })

  it("a ward with three resolved tickets shows 3/3, muted, and the city's figure as what it is", async () => {
    await page.goto(`${server.url}/ward/22915`)
    const tile = page.locator('.tile[data-metric="tickets.onTimeRate"]')
    await poll(() => tile.locator('.value').textContent()).toBe('3/3')
    expect(await tile.locator('.value').getAttribute('data-small')).toBe('true')
    // No arrow for a count standing in for a rate.
    expect(await tile.locator('.delta').count()).toBe(0)
    expect(await page.locator('.tile[data-metric="tickets.received"] .city').textContent()).toBe(
      'Tổng thành phố: 18',
    )
    await shot(page, 'ward-small-sample-1366')
  })

  it('reads in English too', async () => {
    await page.goto(`${server.url}/units`)
    await page.waitForSelector('table.units tbody tr')
    await page.click('button[aria-label="Ngôn ngữ"]')
    await poll(() => page.locator('table.units caption').textContent()).toMatch(/compared with/)
    expect(await page.locator('thead th[data-col="overdue"]').textContent()).toContain('Overdue work')
    expect(await page.locator(`tr[data-unit="${slow}"] th a`).textContent()).toContain("People's Committee")
    await page.waitForSelector(`tr[data-unit="${slow}"] svg.spark path[d^="M"]`, { timeout: 30_000 })
    await shot(page, 'units-table-en-1366')
    await page.click('button[aria-label="Language"]')
  })

  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    it(`the wall's units scene at ${width}x${height}: the league table worst first, nothing clipped`, async () => {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN' })
      const wall = await context.newPage()
      errors.push(...watchErrors(wall))
      await wall.goto(`${server.url}/wall?token=${testTokens.display}&scene=units&lang=vi`)
      await wall.waitForSelector('[data-scene="units"] .league tbody tr', { timeout: 30_000 })
      const units = await wall
        .locator('.league tbody tr')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')))
      expect(units).toEqual([slow, small])
      expect(
        await wall.locator(`.league tr[data-unit="${slow}"] td[data-col="overdue"] .now`).textContent(),
      ).toContain('2')
      const count = wall.locator(`.league tr[data-unit="${small}"] td[data-col="tickets"] .now`)
      expect(await count.textContent()).toBe('3/3')
      expect(await count.getAttribute('data-small')).toBe('true')
      expect(await wall.locator('[data-scene="units"] h2').textContent()).toMatch(
        /so với \d\d\/\d\d–\d\d\/\d\d/,
      )
      // Readable from five metres: a figure at least 3 % of the screen high; no cell cut short.
      const size = await wall
        .locator('.league .now')
        .first()
        .evaluate((el) => Number.parseFloat(getComputedStyle(el).fontSize))
      expect(size / height).toBeGreaterThan(0.03)
      const clipped = await wall
        .locator('.league th, .league td')
        .evaluateAll((cells) =>
          cells.filter((c) => c.scrollWidth > c.clientWidth + 1).map((c) => c.textContent),
        )
      expect(clipped).toEqual([])
      expect(await hasScrollbars(wall)).toBe(false)
      await shot(wall, `wall-units-${width}x${height}`)
      await context.close()
    })
  }

  it("prints a day's briefing with the Tóm tắt page first", async () => {
    const today = localDayOf(new Date(), server.deps.city.profile.timeZone)
    const created = await requestJson(`${server.url}/api/v1/snapshots`, {
      token: testTokens.leader,
      body: { view: 'city', filters: { preset: 'today', from: today, to: today }, title: 'Báo cáo ngày' },
    })
    expect(created.status).toBe(201)
    const res = await fetch(`${server.url}/api/v1/snapshots/${created.body.id}.pdf`)
    expect(res.status).toBe(200)
    await mkdir(shotDir, { recursive: true })
    const pdf = `${shotDir}/briefing-day.pdf`
    await writeFile(pdf, Buffer.from(await res.arrayBuffer()))
    const run = promisify(execFile)
    const page1 = (await run('pdftotext', ['-f', '1', '-l', '1', pdf, '-'])).stdout.replace(/\s+/g, ' ')
    expect(page1).toContain('Tóm tắt')
    expect(page1).toMatch(/Hôm trước \(\d\d\/\d\d\)/)
    expect(page1).toMatch(/Cùng ngày tuần trước \(\d\d\/\d\d\)/)
    expect(page1).toContain('Năm đơn vị nhiều việc quá hạn nhất')
    expect(page1).toMatch(/UBND Phường Phú Trinh: 2 việc quá hạn/)
    expect(page1).toContain('Lĩnh vực phản ánh tăng nhiều nhất')
    // The existing pages follow: the overview's tiles are not on the first page.
    expect(page1).not.toContain('Phản ánh theo lĩnh vực')
    const page2 = (await run('pdftotext', ['-f', '2', '-l', '2', pdf, '-'])).stdout
    expect(page2).toContain('Phản ánh tiếp nhận')
    await run('pdftoppm', [
      '-f',
      '1',
      '-l',
      '1',
      '-r',
      '80',
      '-png',
      '-singlefile',
      pdf,
      `${shotDir}/briefing-summary`,
    ])
  })

  it('raised no browser errors', () => {
    expect(errors).toEqual([])
  })
})
