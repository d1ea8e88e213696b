import { mkdir } from 'node:fs/promises'
import { fromLocalInput, localInputValue } from '@citydeck/shared/time'
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

// The direction loop in real browsers (docs/design.md §9): a leader directs an overdue ticket's unit,
// the wall shows it directed, the unit (its own login, on a phone) accepts, reports 50 % and
// done, and the leader's timeline shows every step.
const skip = browserUnavailable()
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 15_000, interval: 200 })
const shotDir = '/tmp/shots-direction'
const leader = { name: 'lan', password: 'mật-khẩu-lãnh-đạo' }
const unitUser = { name: 'phutrinh', password: 'mật-khẩu-đơn-vị' }
const unit = 'ubnd-22930'
const zone = 'Asia/Ho_Chi_Minh'
const hour = 3_600_000

/** A deadline as the screens say it: "15:30" today, "04/12 00:30" on another day (city time). */
function label(local: string) {
  const today = localInputValue(new Date(), zone).slice(0, 10)
  return local.slice(0, 10) === today
    ? local.slice(11)
    : `${local.slice(8, 10)}/${local.slice(5, 7)} ${local.slice(11)}`
}

async function shot(page: Page, name: string) {
  await mkdir(shotDir, { recursive: true })
  await page.screenshot({ path: `${shotDir}/${name}.png` })
  await saveScreenshot(page, name)
}

/** Open tickets of Phú Trinh's committee (one overdue by 2 h, one by 30 min) and one of Mũi Né's. */
function tickets(now: number) {
  const at = (ms: number) => new Date(now - ms).toISOString()
  const ticket = (ref: string, title: string, receivedAgo: number, dueIn: number, over = {}) => ({
    source: testFeedSource,
    ref,
    updatedAt: at(receivedAgo),
    category: 'waste',
    title,
    location: { lat: 10.932, lng: 108.1 },
    wardCode: '22930',
    unit,
    status: 'in_progress',
    receivedAt: at(receivedAgo),
    dueAt: new Date(now + dueIn).toISOString(),
    address: '12 Trần Hưng Đạo',
    reporter: { name: 'Trần Thị Bích', phone: '0912345678' },
    ...over,
  })
  return [
    ticket('OD-1', 'Rác thải tồn đọng trên vỉa hè Trần Hưng Đạo', 30 * hour, -2 * hour),
    ticket('OD-2', 'Đèn đường không sáng đoạn Lê Lợi', 26 * hour, -0.5 * hour),
    ticket('ON-1', 'Lấn chiếm lòng đường chợ Phú Trinh', 2 * hour, 20 * hour),
    ticket('MN-1', 'Ngập nước sau mưa ở Mũi Né', 3 * hour, 10 * hour, {
      wardCode: '22915',
      unit: 'ubnd-22915',
    }),
  ]
}

describe.skipIf(skip)('direction: a leader directs, the wall shows it, the unit reports back', () => {
  let server: TestServer
  let browser: Browser
  let leaderPage: Page
  let wallPage: Page
  let unitPage: Page
  const errors: string[] = []
  let task = { source: '', ref: '' }
  let due = ''

  beforeAll(async () => {
    server = await startTestServer()
    await postFeed(server.url, testTokens.feed, 'tickets', tickets(Date.now()))
    await upsertUser(server.deps.sql, { ...leader, role: 'leader' })
    await upsertUser(server.deps.sql, { ...unitUser, role: `unit:${unit}` })
    browser = await launchBrowser()
    leaderPage = await (
      await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'vi-VN' })
    ).newPage()
    wallPage = await (
      await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' })
    ).newPage()
    unitPage = await (
      await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'vi-VN' })
    ).newPage()
    for (const page of [leaderPage, wallPage, unitPage]) errors.push(...watchErrors(page))
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the leader sees the overdue tickets as alerts, opens one and directs its unit; the wall shows it directed', async () => {
    await wallPage.goto(`${server.url}/wall?token=${testTokens.display}&scene=overview`)
    await wallPage.waitForSelector('.wall-screen[data-connection="connected"]', { timeout: 30_000 })
    await wallPage.waitForSelector(`.alert-strip li[data-alert="${testFeedSource}:OD-1"]`, {
      timeout: 15_000,
    })

    await leaderPage.goto(`${server.url}/`)
    await leaderPage.waitForSelector('input[name=name]')
    await leaderPage.fill('input[name=name]', leader.name)
    await leaderPage.fill('input[name=password]', leader.password)
    await leaderPage.click('button[type=submit]')
    const row = leaderPage.locator(`[data-alert="ticket_overdue:${testFeedSource}:OD-1"]`)
    await row.waitFor({ timeout: 30_000 })
    expect(await leaderPage.locator('.alert-panel').textContent()).toContain('Cảnh báo cần xử lý')
    await row.locator('a.title').click()
    await leaderPage.waitForURL(/\/tickets\/test-source\/OD-1/)
    await leaderPage.waitForSelector('.item-tasks[data-loaded="true"]')
    expect(await leaderPage.locator('.item-tasks').textContent()).toContain('Chưa có chỉ đạo nào')

    // The dialog: the item's unit by default, the deadline 8 h ahead in city time, Esc closes.
    await leaderPage.click('.top [data-test="direct"]')
    const dialog = leaderPage.locator('dialog.direct-dialog[open]')
    await dialog.waitFor()
    expect(await dialog.locator('select[name=unit]').inputValue()).toBe(unit)
    const suggested = fromLocalInput(await dialog.locator('input[name=dueAt]').inputValue(), zone)
    expect(Math.abs(suggested!.getTime() - (Date.now() + 8 * hour))).toBeLessThan(5 * 60_000)
    expect(await leaderPage.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('instruction')
    await leaderPage.keyboard.press('Escape')
    await poll(() => dialog.count()).toBe(0)
    expect(await leaderPage.evaluate(() => document.activeElement?.getAttribute('data-test'))).toBe('direct')

    // An empty instruction is named, next to its field, before anything is sent.
    await leaderPage.click('.top [data-test="direct"]')
    await dialog.waitFor()
    await dialog.locator('button[type=submit]').click()
    expect(await dialog.locator('.field-error').textContent()).toBe('Nội dung chỉ đạo: cần nhập.')
    expect(await dialog.locator('textarea[name=instruction]').getAttribute('aria-invalid')).toBe('true')
    // Tab stays inside the dialog.
    for (let i = 0; i < 12; i++) await leaderPage.keyboard.press('Tab')
    expect(await leaderPage.evaluate(() => !!document.activeElement?.closest('dialog'))).toBe(true)

    due = localInputValue(new Date(Date.now() + 3 * hour), zone)
    await dialog.locator('textarea[name=instruction]').fill('Thu gom rác ngay, báo cáo kết quả trước hạn')
    await dialog.locator('input[name=dueAt]').fill(due)
    await dialog.locator('input[name=priority][value=urgent]').check()
    await shot(leaderPage, 'leader-direct-dialog-1366x768')
    const sentAt = Date.now()
    await dialog.locator('button[type=submit]').click()
    await poll(() => dialog.locator('.sent').textContent()).toContain(
      `Đã chỉ đạo UBND Phường Phú Trinh, hạn ${label(due)}`,
    )

    // The wall (another page) shows the directed state; docs/design.md §9 promises it within 2 s.
    const directed = wallPage.locator(`.alert-strip li[data-alert="${testFeedSource}:OD-1"] .directed`)
    await directed.waitFor({ timeout: 15_000 })
    console.info(
      `direction e2e: wall showed the directive ${Date.now() - sentAt} ms after the leader sent it`,
    )
    expect(await directed.textContent()).toContain(`đã chỉ đạo → Phường Phú Trinh, hạn ${label(due)}`)
    await shot(wallPage, 'wall-strip-directed-1920x1080')

    await dialog.locator('[data-test="direct-done"]').click()
    const tasks = await requestJson(`${server.url}/api/v1/tasks?subject=ticket:${testFeedSource}:OD-1`, {
      token: testTokens.leader,
    })
    expect(tasks.body.items).toHaveLength(1)
    expect(tasks.body.items[0]).toMatchObject({
      unit,
      status: 'assigned',
      priority: 'urgent',
      issuedBy: leader.name,
    })
    task = { source: tasks.body.items[0].source, ref: tasks.body.items[0].ref }
  })

  it('the leader acknowledges another alert: who and when, on the leader view and on the wall', async () => {
    await leaderPage.goto(`${server.url}/`)
    const row = leaderPage.locator(`[data-alert="ticket_overdue:${testFeedSource}:OD-2"]`)
    await row.waitFor({ timeout: 30_000 })
    await row.locator('[data-test="ack"]').click()
    await poll(() => row.getAttribute('data-acknowledged')).toBe('true')
    expect(await row.locator('.ack-state').textContent()).toMatch(/Đã nắm: lan, \d\d:\d\d/)
    const first = leaderPage.locator(`[data-alert="ticket_overdue:${testFeedSource}:OD-1"]`)
    expect(await first.locator('.directed-state').textContent()).toContain('Đã chỉ đạo → Phường Phú Trinh')
    await poll(() =>
      wallPage
        .locator(`.alert-strip li[data-alert="${testFeedSource}:OD-2"]`)
        .getAttribute('data-acknowledged'),
    ).toBe('true')
    expect(
      await wallPage
        .locator(`.alert-strip li[data-alert="${testFeedSource}:OD-2"] .acknowledged`)
        .textContent(),
    ).toContain('đã nắm')

    // Directed from the alert itself (its acknowledgement carries the directive): the unit is
    // the ticket's, looked up while the dialog opens.
    await row.locator('[data-test="direct"]').click()
    const fromAlert = leaderPage.locator('dialog.direct-dialog[open]')
    await fromAlert.waitFor()
    await poll(() => fromAlert.locator('select[name=unit]').inputValue()).toBe(unit)
    await fromAlert.locator('textarea[name=instruction]').fill('Thay bóng đèn trong ngày')
    await fromAlert.locator('button[type=submit]').click()
    await poll(() => fromAlert.locator('.sent').count()).toBe(1)
    await fromAlert.locator('[data-test="direct-done"]').click()
    await poll(() => row.getAttribute('data-directed')).toBe(unit)
    expect(await row.locator('.ack-state').textContent()).toMatch(/Đã nắm: lan/)
    await poll(() =>
      wallPage.locator(`.alert-strip li[data-alert="${testFeedSource}:OD-2"]`).getAttribute('data-directed'),
    ).toBe('Phường Phú Trinh')

    // A standalone directive, from the header: no item, so no unit until one is chosen.
    await leaderPage.click('.tools [data-test="direct"]')
    const dialog = leaderPage.locator('dialog.direct-dialog[open]')
    await dialog.waitFor()
    expect(await dialog.locator('.about').textContent()).toContain('Nhiệm vụ độc lập')
    expect(await dialog.locator('select[name=unit]').inputValue()).toBe('')
    await dialog.locator('textarea[name=instruction]').fill('Rà soát đèn chiếu sáng khu phố 3')
    await dialog.locator('button[type=submit]').click()
    expect(await dialog.locator('.field-error').textContent()).toBe('Đơn vị thực hiện: cần nhập.')
    await dialog.locator('select[name=unit]').selectOption(unit)
    expect(await dialog.locator('.field-error').count()).toBe(0)
    await dialog.locator('button[type=submit]').click()
    await poll(() => dialog.locator('.sent').textContent()).toContain('Đã chỉ đạo UBND Phường Phú Trinh')
    await dialog.locator('[data-test="direct-done"]').click()

    // The tasks tiles read the KPI API. tasks.open / tasks.overdue are added to GET /api/v1/kpis
    // in parallel (another branch): until they are there, the tiles are not drawn and this one
    // assertion is skipped.
    const window = await leaderPage.evaluate(() => {
      const el = document.querySelector('[data-window-from]') as HTMLElement | null
      return el ? { from: el.dataset.windowFrom!, to: el.dataset.windowTo! } : null
    })
    const kpis = (
      await requestJson(`${server.url}/api/v1/kpis?${new URLSearchParams(window!)}`, {
        token: testTokens.leader,
      })
    ).body
    if (kpis.tasks) {
      await poll(async () =>
        Number(await leaderPage.locator('[data-metric="tasks.open"]').getAttribute('data-value')),
      ).toBe(kpis.tasks.open)
    } else {
      expect(await leaderPage.locator('[data-metric="tasks.open"]').count()).toBe(0)
    }
    await shot(leaderPage, 'leader-alerts-1366x768')
  })

  it('the unit logs in on a phone, sees its work by deadline, accepts, reports 50 % and done', async () => {
    await unitPage.goto(`${server.url}/`)
    await unitPage.waitForSelector('input[name=name]')
    await unitPage.fill('input[name=name]', unitUser.name)
    await unitPage.fill('input[name=password]', unitUser.password)
    await unitPage.click('button[type=submit]')
    await unitPage.waitForURL(/\/unit$/)
    const card = unitPage.locator(`li.card[data-task="${task.source}:${task.ref}"]`)
    await card.waitFor({ timeout: 15_000 })
    expect(await card.textContent()).toContain('Thu gom rác ngay')
    // Its own tickets only, overdue first; the reporter's contact is there for the callback.
    await poll(() =>
      unitPage.locator('[data-ticket]').evaluateAll((els) => els.map((e) => e.getAttribute('data-ticket'))),
    ).toEqual([`${testFeedSource}:OD-1`, `${testFeedSource}:OD-2`, `${testFeedSource}:ON-1`])
    expect(await unitPage.locator(`[data-ticket="${testFeedSource}:OD-1"]`).textContent()).toContain(
      '0912345678',
    )
    // The countdown is live.
    const clock = card.locator('.clock')
    const before = await clock.textContent()
    await poll(() => clock.textContent()).not.toBe(before)
    expect(before).toMatch(/còn 2:5\d:\d\d/)
    expect(await unitPage.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
      true,
    )
    await shot(unitPage, 'unit-inbox-360x740')

    await card.locator('[data-test="accept"]').click()
    await poll(() => card.getAttribute('data-status')).toBe('accepted')
    await card.locator('textarea[name=note]').fill('Đã cử tổ thu gom đến hiện trường')
    await card.locator('input[name=progress]').fill('50')
    await card.locator('[data-test="report"]').click()
    await poll(() => card.getAttribute('data-status')).toBe('in_progress')
    expect(await card.locator('.status').textContent()).toContain('50%')
    await shot(unitPage, 'unit-reported-360x740')
    // The same page on a laptop: tasks beside tickets, no sideways scrolling.
    await unitPage.setViewportSize({ width: 1366, height: 768 })
    expect(await unitPage.locator('li.card').count()).toBe(3)
    expect(await unitPage.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(
      true,
    )
    await shot(unitPage, 'unit-inbox-1366x768')
    await unitPage.setViewportSize({ width: 360, height: 740 })
    await card.locator('textarea[name=note]').fill('Đã thu gom xong, vỉa hè sạch')
    await card.locator('[data-test="done"]').click()
    // Done: no longer open work.
    await poll(() => card.count()).toBe(0)
    expect(await unitPage.locator('li.card').count()).toBe(2)
  })

  it("the leader's timeline shows every step, live; the task's own page too, in both languages", async () => {
    await leaderPage.goto(`${server.url}/tickets/${testFeedSource}/OD-1`)
    const steps = leaderPage.locator('.item-tasks [data-test="task-step"]')
    await poll(() =>
      steps.evaluateAll((els) =>
        els.map((e) => [e.getAttribute('data-status'), e.getAttribute('data-progress')]),
      ),
    ).toEqual([
      ['assigned', ''],
      ['accepted', ''],
      ['in_progress', '50'],
      ['done', '100'],
    ])
    const text = await leaderPage.locator('.item-tasks').textContent()
    expect(text).toContain('Đã cử tổ thu gom đến hiện trường')
    expect(text).toContain('Đã thu gom xong, vỉa hè sạch')
    expect(text).toContain('UBND Phường Phú Trinh')
    await leaderPage.locator('.item-tasks').scrollIntoViewIfNeeded()
    await shot(leaderPage, 'leader-item-timeline-1366x768')

    await leaderPage.goto(`${server.url}/tasks/${task.source}/${task.ref}?lang=en`)
    await leaderPage.waitForSelector('[data-test="task-step"]')
    expect(await leaderPage.locator('.task h4').textContent()).toBe('Steps and reports')
    expect(await leaderPage.locator('[data-test="task-status"]').textContent()).toBe('Done')
    expect(await leaderPage.locator('[data-test="task-step"]').count()).toBe(4)
    await shot(leaderPage, 'task-page-en-1366x768')
    expect(errors).toEqual([])
  })
})
