import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { addDays, localDayOf } from '@citydeck/shared'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../server/src/config'
import { requestJson } from '../../server/test/support/http'
import { startTestServer, type TestServer, testTokens } from '../../server/test/support/test-server'
import { seedLeaderData } from './leader-fixtures'
import { browserUnavailable, launchBrowser, saveScreenshot, screenshotDir } from './support/browser'

const run = promisify(execFile)
// The CLI runs with the server's own environment; its API_TOKENS must list the same tokens.
const sameTokens = `admin=${testTokens.admin},leader=${testTokens.leader},display=${testTokens.display},feed:test-source=${testTokens.feed}`
const skip = browserUnavailable()

describe.skipIf(skip)('briefings: PDF and PNG printed by headless Chromium', () => {
  let server: TestServer
  let dir: string
  let snapshotId: string
  let frozen: { received: number; overdue: number }
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'citydeck-briefings-'))
    // pdftoppm and the PNG are written there; a fresh checkout has no such folder yet.
    await mkdir(screenshotDir, { recursive: true })
    server = await startTestServer({ BRIEFING_DIR: dir, BRIEFING_SCHEDULE: '' })
    await seedLeaderData(server.deps, new Date())
    const today = localDayOf(new Date(), server.deps.city.profile.timeZone)
    const created = await requestJson(`${server.url}/api/v1/snapshots`, {
      token: testTokens.leader,
      body: {
        view: 'city',
        filters: { preset: '7d', from: addDays(today, -6), to: today },
        title: 'Giao ban sáng',
      },
    })
    snapshotId = created.body.id
    const snap = await requestJson(`${server.url}/api/v1/snapshots/${snapshotId}`)
    frozen = { received: snap.body.data.kpis.tickets.received, overdue: snap.body.data.kpis.tickets.overdue }
  })
  afterAll(async () => {
    await server?.stop()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  it('prints an A4 landscape PDF with the numbers, Vietnamese labels and page numbers', async () => {
    const res = await fetch(`${server.url}/api/v1/snapshots/${snapshotId}.pdf`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/pdf')
    const pdf = path.join(dir, 'snapshot.pdf')
    await writeFile(pdf, Buffer.from(await res.arrayBuffer()))
    const { stdout: info } = await run('pdfinfo', [pdf])
    // A4 landscape: 842 x 595 points.
    const [, width, height] = info.match(/Page size:\s+([\d.]+) x ([\d.]+) pts/)!
    expect(Math.abs(Number(width) - 842)).toBeLessThan(2)
    expect(Math.abs(Number(height) - 595)).toBeLessThan(2)
    const { stdout: raw } = await run('pdftotext', [pdf, '-'])
    // Reading order, with line breaks inside wrapped labels folded away.
    const text = raw.replace(/\s+/g, ' ')
    for (const label of [
      'Thành phố Phan Thiết',
      'Giao ban sáng',
      'Phản ánh tiếp nhận',
      'Phản ánh quá hạn',
      'Hài lòng',
      'Phản ánh theo lĩnh vực',
      // The overdue tasks the briefing froze (docs/design.md §9), listed even when there are none.
      'Nhiệm vụ quá hạn cần đôn đốc',
      'Trang 1/',
    ]) {
      expect(text).toContain(label)
    }
    expect(text).toMatch(new RegExp(`Phản ánh tiếp nhận[\\s\\S]{0,200}?\\b${frozen.received}\\b`))
    expect(text).toMatch(/Tạo tệp lúc \d{2}:\d{2},? \d{2}\/\d{2}\/\d{4}/)
    // The first page as an image, to look at (saved beside the other screenshots).
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
      path.join(screenshotDir, 'briefing-pdf-page1'),
    ])
    expect((await stat(path.join(screenshotDir, 'briefing-pdf-page1.png'))).size).toBeGreaterThan(20_000)
  })

  it('prints a one-day briefing a chairman reads at 07:00, timed with a warm browser', async () => {
    const timeZone = server.deps.city.profile.timeZone
    const day = addDays(localDayOf(new Date(), timeZone), -1)
    const created = await requestJson(`${server.url}/api/v1/snapshots`, {
      token: testTokens.leader,
      body: { view: 'city', filters: { preset: 'custom', from: day, to: day }, title: 'Báo cáo ngày' },
    })
    const started = performance.now()
    const res = await fetch(`${server.url}/api/v1/snapshots/${created.body.id}.pdf`)
    const bytes = Buffer.from(await res.arrayBuffer())
    const took = Math.round(performance.now() - started)
    // The aim is under 3 s (issue #19); the figure is printed, not asserted: a shared CI machine's load decides it.
    console.log(`briefing PDF rendered in ${took} ms (browser warm when earlier tests rendered)`)
    expect(res.status).toBe(200)
    const pdf = path.join(dir, 'briefing-day.pdf')
    await writeFile(pdf, bytes)
    const { stdout: raw } = await run('pdftotext', [pdf, '-'])
    const text = raw.replace(/\s+/g, ' ')
    const [d, m, y] = day.split('-').reverse()
    // The cover: what it is, the title and the day; then the summary page, the map, the charts.
    for (const words of [
      'Bản tin điều hành',
      'Báo cáo ngày',
      `Số liệu ngày ${d}/${m}/${y}`,
      'Tóm tắt',
      'Phản ánh theo lĩnh vực',
    ]) {
      expect(text).toContain(words)
    }
    // The map's ward names are text on paper (an SVG map in the print style, not a dark canvas).
    expect(text).toContain('Thiện Nghiệp')
    // Then what is overdue, longest overdue first, with whole unit names; not the newest tickets.
    expect(text).toContain('Phản ánh quá hạn cần xử lý')
    expect(text).not.toContain('Phản ánh mới nhất')
    const overdue = await requestJson(`${server.url}/api/v1/tickets?sla=overdue&sort=dueAt&limit=3`, {
      token: testTokens.leader,
    })
    expect(overdue.body.items.length).toBeGreaterThan(0)
    for (const item of overdue.body.items) expect(text).toContain(`${item.address}`)
    expect(text).toMatch(/UBND Phường [A-ZÀ-Ỹ]/)
    expect(text).not.toMatch(/(^| )ng Tài chính/)
    expect(text).toContain('Nhiệm vụ quá hạn cần đôn đốc')
    // Overdue dossiers by their procedure's name, frozen with the snapshot (the print page has
    // no login to read the catalog), the code small beside it.
    expect(text).toContain('Hồ sơ quá hạn')
    expect(text).toMatch(/Thủ tục (hộ tịch|xây dựng) 1\.00[02]/)
    await run('pdftoppm', ['-r', '70', '-png', pdf, path.join(screenshotDir, 'briefing-day-pdf')])
  })

  it('renders a PNG of the same page', async () => {
    const res = await fetch(`${server.url}/api/v1/snapshots/${snapshotId}.png`)
    expect(res.status).toBe(200)
    const png = Buffer.from(await res.arrayBuffer())
    expect(png.subarray(1, 4).toString()).toBe('PNG')
    await writeFile(path.join(screenshotDir, 'briefing-snapshot.png'), png)
  })

  it('writes the daily briefing from the CLI, with progress, and lists it in the app', async () => {
    const day = addDays(localDayOf(new Date(), server.deps.city.profile.timeZone), -1)
    const { stdout } = await run(
      'npx',
      ['tsx', path.join(repoRoot, 'server/src/briefings/cli.ts'), '--date', day],
      {
        env: {
          ...process.env,
          DATABASE_URL: server.db.url,
          BRIEFING_DIR: dir,
          LOG_LEVEL: 'silent',
          API_TOKENS: sameTokens,
        },
        timeout: 90_000,
      },
    )
    expect(stdout).toContain(`citydeck briefing for ${day}`)
    expect(stdout).toContain('[1/4] claiming the day')
    expect(stdout).toContain('[3/4] printing the PDF with Chromium')
    const file = path.join(dir, `citydeck-briefing-${day}.pdf`)
    expect((await readFile(file)).subarray(0, 5).toString()).toBe('%PDF-')

    const list = await requestJson(`${server.url}/api/v1/briefings`, { token: testTokens.leader })
    expect(list.status, JSON.stringify(list.body)).toBe(200)
    const row = list.body.items.find((b: { day: string }) => b.day === day)
    expect(row).toMatchObject({ status: 'done', pdfUrl: `/api/v1/briefings/${day}.pdf` })
    const pdf = await fetch(`${server.url}${row.pdfUrl}`, {
      headers: { authorization: `Bearer ${testTokens.leader}` },
    })
    expect(pdf.status).toBe(200)
    expect(pdf.headers.get('content-type')).toBe('application/pdf')

    const browser: Browser = await launchBrowser()
    try {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 } })
      const page = await context.newPage()
      await page.goto(`${server.url}/briefings?token=${testTokens.leader}`)
      await page.waitForSelector(`tr[data-day="${day}"] a[href$=".pdf"]`)
      await saveScreenshot(page, 'leader-briefings-1366x768')
    } finally {
      await browser.close()
    }
  })

  it("lets a leader make today's briefing from the Briefings page, with progress and readable schedule", async () => {
    const today = localDayOf(new Date(), server.deps.city.profile.timeZone)
    const shots = process.env.SHOTS_DIR ?? '/tmp/shots-leader-pages'
    await mkdir(shots, { recursive: true })
    const browser: Browser = await launchBrowser()
    try {
      const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
      await page.goto(`${server.url}/briefings?token=${testTokens.leader}`)
      await page.waitForSelector('[data-test=make-briefing]')
      // This server runs no schedule; the words for a set one are checked in schedule.test.ts.
      expect(await page.locator('[data-test=schedule]').textContent()).toBe('Lịch tạo tự động đang tắt.')
      expect(await page.locator('body').textContent()).not.toContain('npm run')
      expect(await page.locator('input[name=day]').inputValue()).toBe(today)
      await page.click('[data-test=make-briefing]')
      // Read from the element itself: on a warm browser the progress may be gone a moment later.
      const progress = await page.waitForSelector('[data-test=briefing-progress]')
      expect(await progress.textContent()).toContain('Đang tạo bản tin ngày')
      await page.screenshot({ path: path.join(shots, 'briefings-making-vi-1366x768.png') })
      await page.waitForSelector('[data-test=briefing-outcome]', { timeout: 60_000 })
      expect(await page.locator('[data-test=briefing-outcome]').textContent()).toContain(
        'Đã tạo bản tin ngày',
      )
      await page.waitForSelector(`tr[data-day="${today}"] a[href$=".pdf"]`)
      await page.screenshot({ path: path.join(shots, 'briefings-made-vi-1366x768.png') })
      // The same day again while it is being made: the page says so (409), no second run.
      const again = await requestJson(`${server.url}/api/v1/briefings`, {
        token: testTokens.leader,
        body: { date: today },
      })
      expect(again.status).toBe(202)
      const busy = await requestJson(`${server.url}/api/v1/briefings`, {
        token: testTokens.leader,
        body: { date: today },
      })
      expect(busy.status).toBe(409)
      await expect
        .poll(
          async () =>
            (
              await requestJson(`${server.url}/api/v1/briefings`, { token: testTokens.leader })
            ).body.items.find((b: { day: string }) => b.day === today).status,
          { timeout: 60_000, interval: 500 },
        )
        .toBe('done')
      await page.evaluate(() => localStorage.setItem('citydeck.lang', 'en'))
      await page.reload()
      await page.waitForSelector('[data-test=make-briefing]')
      expect(await page.locator('[data-test=make-briefing]').textContent()).toContain('Make a briefing now')
      await page.screenshot({ path: path.join(shots, 'briefings-en-1366x768.png') })
    } finally {
      await browser.close()
    }
  })
})
