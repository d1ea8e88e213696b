import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { requestJson } from '../../server/test/support/http'
import { startTestServer, type TestServer, testTokens } from '../../server/test/support/test-server'
import { seedLeaderData } from './leader-fixtures'
import { browserUnavailable, launchBrowser, saveScreenshot } from './support/browser'

// docs/design.md §5: the pages work under a Content-Security-Policy without inline scripts, and a token
// in the URL never travels in a Referer.
const skip = browserUnavailable()

type Seen = { violations: string[]; requests: Array<{ url: string; referer: string | undefined }> }

/** Records CSP violations (the page's own event and the console) and every request's Referer. */
async function watch(page: Page): Promise<Seen> {
  const seen: Seen = { violations: [], requests: [] }
  await page.exposeFunction('reportViolation', (text: string) => seen.violations.push(text))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      ;(window as unknown as { reportViolation: (t: string) => void }).reportViolation(
        `${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      )
    })
  })
  page.on('console', (msg) => {
    if (/Content Security Policy/i.test(msg.text())) seen.violations.push(msg.text())
  })
  page.on('request', async (req) => {
    const headers = await req.allHeaders().catch(() => req.headers())
    seen.requests.push({ url: req.url(), referer: headers.referer })
  })
  return seen
}

describe.skipIf(skip)('Content-Security-Policy and Referrer-Policy in a real browser', () => {
  let server: TestServer
  let browser: Browser
  let snapshotId: string
  beforeAll(async () => {
    server = await startTestServer({ BRIEFING_SCHEDULE: '' })
    await seedLeaderData(server.deps, new Date(), 20)
    const created = await requestJson(`${server.url}/api/v1/snapshots`, {
      token: testTokens.leader,
      body: {
        view: 'city',
        filters: { preset: 'custom', from: '2026-11-27', to: '2026-11-27' },
        title: 'CSP',
      },
    })
    snapshotId = created.body.id
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.stop()
  })

  it('the wall opened with ?token= draws with no CSP violation and sends the token in no Referer', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } })
    const seen = await watch(page)
    await page.goto(`${server.url}/wall?token=${testTokens.display}&scene=overview`)
    await page.waitForSelector('.wall-screen[data-connection="connected"]', { timeout: 30_000 })
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 }).catch(() => {})
    await page.waitForTimeout(1500)
    await saveScreenshot(page, 'csp-wall-1920')
    expect(seen.violations).toEqual([])
    // Scripts, styles, the map worker, fonts, API calls and the socket all went out…
    expect(seen.requests.length).toBeGreaterThan(5)
    // …and none carried the page's address (with its token) as a Referer.
    const leaking = seen.requests.filter((r) => r.referer?.includes(testTokens.display))
    expect(leaking).toEqual([])
    expect(seen.requests.filter((r) => r.referer)).toEqual([])
    await page.close()
  })

  it('the leader view opened with ?token= works the same way', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    const seen = await watch(page)
    await page.goto(`${server.url}/?token=${testTokens.leader}`)
    await page.waitForSelector('[data-metric="tickets.received"]', { timeout: 30_000 })
    await page.waitForSelector('[data-map-ready="true"]', { timeout: 30_000 })
    await saveScreenshot(page, 'csp-leader-1366')
    expect(seen.violations).toEqual([])
    expect(seen.requests.filter((r) => r.referer?.includes(testTokens.leader))).toEqual([])
    await page.close()
  })

  it('the API reference (Scalar) renders from served files only', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 } })
    const seen = await watch(page)
    await page.goto(`${server.url}/api/docs`)
    await page.waitForFunction(() => (document.body.textContent ?? '').includes('/api/v1/feeds'), null, {
      timeout: 30_000,
    })
    await saveScreenshot(page, 'csp-api-docs-1366')
    expect(seen.violations).toEqual([])
    expect(seen.requests.every((r) => r.url.startsWith(server.url) || r.url.startsWith('data:'))).toBe(true)
    await page.close()
  })

  it('the print page of a snapshot draws completely', async () => {
    const page = await browser.newPage({ viewport: { width: 1123, height: 794 } })
    const seen = await watch(page)
    await page.goto(`${server.url}/snapshots/${snapshotId}?print=1`)
    await page.waitForSelector('[data-snapshot-ready="true"]', { timeout: 45_000 })
    await saveScreenshot(page, 'csp-print')
    expect(seen.violations).toEqual([])
    await page.close()
  })
})
