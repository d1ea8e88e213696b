import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../server/src/access/users'
import {
  startTestServer,
  type TestServer,
  testFeedSource,
  testTokens,
} from '../../server/test/support/test-server'
import { browserUnavailable, launchBrowser, saveScreenshot, watchErrors } from './support/browser'
import { postFeed } from './support/wallData'

// Overdue work, one click away (docs/design.md §9, §10; issue #17): every "Quá hạn" tile and the
// alert panel open the filtered list (tickets or tasks) with the page's ward or unit, the tasks
// list filters and sorts by deadline, and a small sample reads as its count (progress too).
const skip = browserUnavailable()
const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 200 })
const shotDir = '/tmp/shots-overdue'
const leader = { name: 'lan', password: 'mật-khẩu-lãnh-đạo' }
const slow = 'ubnd-22930'
const small = 'ubnd-22915'
const hour = 3_600_000
const id = (ref: string) => `${testFeedSource}:${ref}`

async function shot(page: Page, name: string) {
  await mkdir(shotDir, { recursive: true })
  await page.screenshot({ path: `${shotDir}/${name}.png` })
  await saveScreenshot(page, name)
}

/** One overdue ticket in each of two wards and one on time; three overdue tasks of two units. */
function feeds(now: number) {
  const at = (ms: number) => new Date(now + ms).toISOString()
  const ticket = (ref: string, unit: string, ward: string, due: number) => ({
    source: testFeedSource,
    ref,
    updatedAt: at(-20 * hour),
    category: 'waste',
    title: `Phản ánh ${ref}`,
    location: { lat: 10.932, lng: 108.1 },
    wardCode: ward,
    unit,
    status: 'in_progress',
    receivedAt: at(-20 * hour),
    dueAt: at(due),
    address: '12 Trần Hưng Đạo',
  })
  const task = (ref: string, unit: string, ward: string, due: number, over = {}) => ({
    source: testFeedSource,
    ref,
    updatedAt: at(-10 * hour),
    title: `Nhiệm vụ ${ref}`,
    unit,
    wardCode: ward,
    issuedBy: 'Chủ tịch UBND thành phố',
    issuedAt: at(-10 * hour),
    dueAt: at(due),
    status: 'assigned',
    ...over,
  })
  // Mũi Né: two dossiers finished on time and one open, not due: progress 3 of 3, a small sample.
  const dossier = (ref: string, finished: boolean) => ({
    source: testFeedSource,
    ref,
    updatedAt: at(-2 * hour),
    procedureCode: '1.001',
    channel: 'online',
    status: finished ? 'done' : 'processing',
    receivedAt: at(-5 * hour),
    dueAt: at(48 * hour),
    ...(finished ? { finishedAt: at(-2 * hour) } : {}),
    unit: small,
    wardCode: '22915',
    digitizedInput: true,
  })
  return {
    tickets: [
      ticket('OD-A', slow, '22930', -3 * hour),
      ticket('OD-B', small, '22915', -1 * hour),
      ticket('ON-1', slow, '22930', 20 * hour),
    ],
    tasks: [
      task('T-1', slow, '22930', -5 * hour),
      task('T-2', slow, '22930', -2 * hour, { status: 'in_progress', progress: 40 }),
      task('T-3', small, '22915', -1 * hour),
      task('T-4', slow, '22930', 5 * hour),
      task('T-5', slow, '22930', -8 * hour, { status: 'done', doneAt: at(-9 * hour) }),
    ],
    dossiers: [dossier('D-1', true), dossier('D-2', true), dossier('D-3', false)],
  }
}

const rowIds = (page: Page) =>
  page.locator('tr[data-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))
const query = (page: Page) => Object.fromEntries(new URL(page.url()).searchParams)

describe.skipIf(skip)('overdue work: every overdue tile and alert opens its list', () => {
  let server: TestServer
  let browser: Browser
  let page: Page
  const errors: string[] = []

  beforeAll(async () => {
    server = await startTestServer()
    const data = feeds(Date.now())
    for (const feed of ['tickets', 'tasks', 'dossiers'] as const) {
      await postFeed(server.url, testTokens.feed, feed, data[feed])
    }
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
    await page.waitForSelector('.tile[data-metric="tasks.overdue"]', { timeout: 30_000 })
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the overview: progress over three dossiers reads 3/3, muted; the overdue-tasks tile opens the tasks list', async () => {
    const progress = page.locator('.tile[data-metric="dossiers.progressRate"] .value')
    await poll(() => progress.textContent()).toBe('3/3')
    expect(await progress.getAttribute('data-small')).toBe('true')
    expect(await page.locator('.tile[data-metric="tasks.overdue"]').getAttribute('data-value')).toBe('3')
    await shot(page, 'overview-1366')
    await page.click('.tile[data-metric="tasks.overdue"] button.open')
    await page.waitForURL(/\/tasks\?/)
    expect(query(page)).toMatchObject({ sla: 'overdue', sort: 'dueAt' })
    await poll(() => rowIds(page)).toEqual([id('T-1'), id('T-2'), id('T-3')])
    expect(await page.locator('select[name=sla]').inputValue()).toBe('overdue')
    expect(await page.locator(`tr[data-id="${id('T-1')}"] td.sla`).textContent()).toContain('Quá hạn')
    await shot(page, 'tasks-overdue-1366')
  })

  it('the tasks list filters by status, unit and SLA state, in the URL', async () => {
    await page.selectOption('select[name=status]', 'in_progress')
    await page.waitForURL(/status=in_progress/)
    await poll(() => rowIds(page)).toEqual([id('T-2')])
    await page.selectOption('select[name=status]', '')
    await page.selectOption('select[name=unit]', small)
    await poll(() => rowIds(page)).toEqual([id('T-3')])
    await page.selectOption('select[name=sla]', 'ontime')
    await poll(() => rowIds(page)).toEqual([])
    await page.selectOption('select[name=unit]', '')
    await poll(() => rowIds(page)).toEqual([id('T-4')])
    await page.selectOption('select[name=sla]', '')
    // Every task, done ones too, soonest deadline first.
    await poll(() => rowIds(page)).toEqual(['T-5', 'T-1', 'T-2', 'T-3', 'T-4'].map(id))
    await page.click(`tr[data-id="${id('T-2')}"] td.title a`)
    await page.waitForURL(/\/tasks\/test-source\/T-2/)
  })

  it("a ward's overdue tiles open its own overdue tickets and tasks", async () => {
    await page.goto(`${server.url}/ward/22915`)
    const progress = page.locator('.tile[data-metric="dossiers.progressRate"]')
    await poll(() => progress.locator('.value').textContent()).toBe('3/3')
    expect(await progress.locator('.city').textContent()).toBe('Chung thành phố: 3/3')
    await page.click('.tile[data-metric="tickets.overdue"] button.open')
    await page.waitForURL(/\/tickets\?/)
    expect(query(page)).toMatchObject({ ward: '22915', sla: 'overdue', sort: 'dueAt' })
    await poll(() => rowIds(page)).toEqual([id('OD-B')])
    await page.goto(`${server.url}/ward/22915`)
    await page.click('.tile[data-metric="tasks.overdue"] button.open')
    await page.waitForURL(/\/tasks\?/)
    expect(query(page)).toMatchObject({ ward: '22915', sla: 'overdue' })
    await poll(() => rowIds(page)).toEqual([id('T-3')])
    expect(await page.locator('select[name=ward]').inputValue()).toBe('22915')
  })

  it("a unit's page: its overdue tasks and its tile open the unit's overdue tasks list", async () => {
    await page.goto(`${server.url}/units/${slow}`)
    const tasks = page.locator('.overdue[data-kind="tasks"]')
    await poll(() => tasks.locator('li a').allTextContents()).toEqual(['Nhiệm vụ T-1', 'Nhiệm vụ T-2'])
    await shot(page, 'unit-overdue-1366')
    await tasks.locator('a.more').click()
    await page.waitForURL(/\/tasks\?/)
    expect(query(page)).toMatchObject({ unit: slow, sla: 'overdue', sort: 'dueAt' })
    await poll(() => rowIds(page)).toEqual([id('T-1'), id('T-2')])
    await page.goBack()
    await page.click('.tile[data-metric="tasks.overdue"] button.open')
    await page.waitForURL(/\/tasks\?/)
    expect(query(page)).toMatchObject({ unit: slow, sla: 'overdue' })
    await poll(() => rowIds(page)).toEqual([id('T-1'), id('T-2')])
  })

  it("the alert panel opens each kind's overdue list, the ward's on a ward's page", async () => {
    await page.goto(`${server.url}/`)
    const tickets = page.locator('.alert-panel a[data-list="ticket_overdue"]')
    await tickets.waitFor({ timeout: 30_000 })
    await poll(() => tickets.textContent()).toContain('(2)')
    await poll(() => page.locator('.alert-panel a[data-list="task_overdue"]').textContent()).toContain('(3)')
    await shot(page, 'alert-panel-1366')
    await tickets.click()
    await page.waitForURL(/\/tickets\?/)
    expect(query(page)).toMatchObject({ sla: 'overdue', sort: 'dueAt' })
    await poll(() => rowIds(page)).toEqual([id('OD-A'), id('OD-B')])
    await page.goto(`${server.url}/ward/22930`)
    const wardTasks = page.locator('.alert-panel a[data-list="task_overdue"]')
    await poll(() => wardTasks.textContent()).toContain('(2)')
    await wardTasks.click()
    await page.waitForURL(/\/tasks\?/)
    expect(query(page)).toMatchObject({ ward: '22930', sla: 'overdue' })
    await poll(() => rowIds(page)).toEqual([id('T-1'), id('T-2')])
  })

  it('the tasks list takes in a new overdue task, live', async () => {
    await page.goto(`${server.url}/tasks?sla=overdue&sort=dueAt`)
    await poll(() => rowIds(page)).toEqual([id('T-1'), id('T-2'), id('T-3')])
    const now = Date.now()
    await postFeed(server.url, testTokens.feed, 'tasks', [
      {
        source: testFeedSource,
        ref: 'T-6',
        updatedAt: new Date(now).toISOString(),
        title: 'Nhiệm vụ T-6',
        unit: small,
        issuedAt: new Date(now - 9 * hour).toISOString(),
        dueAt: new Date(now - 7 * hour).toISOString(),
        status: 'assigned',
      },
    ])
    await poll(() => rowIds(page)).toEqual([id('T-6'), id('T-1'), id('T-2'), id('T-3')])
  })

  it('reads in English too', async () => {
    await page.goto(`${server.url}/tasks?sla=overdue&sort=dueAt`)
    await page.waitForSelector('tr[data-id]')
    await page.click('button[aria-label="Ngôn ngữ"]')
    await poll(() => page.locator('.task-list h2').textContent()).toBe('Tasks')
    expect(await page.locator(`tr[data-id="${id('T-1')}"] td.sla`).textContent()).toContain('Overdue')
    await shot(page, 'tasks-overdue-en-1366')
    await page.click('button[aria-label="Language"]')
  })

  it('raised no browser errors', () => {
    expect(errors).toEqual([])
  })
})
