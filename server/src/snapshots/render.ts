import { existsSync } from 'node:fs'
import type { Browser } from 'playwright-core'

/** Thrown when no Chromium is installed: the route answers 503 with this message. */
export class ChromiumMissing extends Error {}

export type RenderFormat = 'pdf' | 'png'
export type RenderInput = {
  chromiumPath: string
  /** The snapshot page to render, e.g. http://127.0.0.1:3000/snapshots/abc?print=1 */
  pageUrl: string
  format: RenderFormat
  /** Printed in the header of every PDF page. */
  header: string
  /** Printed in the footer of every PDF page, beside the page numbers. */
  footer: string
}

/** Flags for headless Chromium as root on a machine without GPU or network (STACK.md); browser tests use them too. */
export const chromiumLaunchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  // WebGL through SwiftShader so the MapLibre map draws without a GPU.
  '--enable-unsafe-swiftshader',
  '--use-angle=swiftshader',
]

// A4 landscape at 96 dpi; the page is laid out for this width.
const a4 = { width: 1123, height: 794 }

/** Thrown when the render queue is full: the route answers 503 with Retry-After. */
export class RenderBusy extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Đang bận in bản chụp khác / busy rendering other snapshots: try again in ${retryAfterSeconds} s`)
  }
}

let queue: Promise<unknown> = Promise.resolve()
let queued = 0 // renders running or waiting in this process
let averageMs = 5000

/**
 * Renders a snapshot page with headless Chromium (playwright-core, the system's browser).
 * One render at a time: each takes a browser's worth of memory and CPU. With `maxWaiting`
 * (requests from anyone holding a link) at most that many wait behind the running one;
 * beyond, RenderBusy. Internal callers (the daily briefing) pass null and always wait.
 */
export function renderSnapshot(input: RenderInput, maxWaiting: number | null = null): Promise<Buffer> {
  if (!existsSync(input.chromiumPath)) {
    throw new ChromiumMissing(
      `Chưa cài Chromium / no Chromium at ${input.chromiumPath}: install it (apt-get install chromium) or set CHROMIUM_PATH to its executable`,
    )
  }
  if (maxWaiting !== null && queued > maxWaiting) {
    throw new RenderBusy(Math.max(5, Math.ceil((queued * averageMs) / 1000)))
  }
  queued++
  const run = queue.then(async () => {
    const started = performance.now()
    try {
      return await renderNow(input)
    } finally {
      averageMs = averageMs * 0.7 + (performance.now() - started) * 0.3
    }
  })
  const settled = run.finally(() => queued--)
  queue = settled.catch(() => {})
  return settled
}

/**
 * One Chromium kept warm between renders (launching takes about a second of the render's
 * budget, issue #19: a briefing in under 3 s). Each render gets a fresh context (no cookies or
 * storage carried over); the browser closes after a quiet spell and when the server stops.
 */
const warmForMs = 30_000
type Warm = { path: string; browser: Promise<Browser>; timer?: ReturnType<typeof setTimeout> }
let warm: Warm | null = null

function forget(entry: Warm) {
  if (warm === entry) warm = null
}

function browserFor(chromiumPath: string): Promise<Browser> {
  if (warm && warm.path !== chromiumPath) {
    // Another executable asked for (tests, a changed CHROMIUM_PATH): this render runs alone.
    clearTimeout(warm.timer)
    void warm.browser.then((b) => b.close()).catch(() => undefined)
    warm = null
  }
  if (warm) clearTimeout(warm.timer)
  else {
    // playwright-core is loaded on the first render: it costs every server start ~0.6 s of CPU.
    const browser = import('playwright-core').then(({ chromium }) =>
      chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumLaunchArgs }),
    )
    const entry: Warm = { path: chromiumPath, browser }
    warm = entry
    // A browser that crashed or failed to start is not kept.
    browser.then(
      (b) => b.on('disconnected', () => forget(entry)),
      () => forget(entry),
    )
    return browser
  }
  return warm.browser
}

/**
 * Starts the render browser now, so a render that follows (the daily briefing, once its snapshot
 * is frozen) finds it launched: on a cold server the launch is most of the wait. Kept warm as
 * after a render; nothing happens without Chromium (the render reports that).
 */
export function prewarmRenderBrowser(chromiumPath: string): void {
  if (!existsSync(chromiumPath)) return
  // A render already under way holds the browser: its own end starts the quiet spell.
  void browserFor(chromiumPath).then(
    () => queued === 0 && keepWarm(),
    () => undefined,
  )
}

function keepWarm() {
  if (!warm) return
  clearTimeout(warm.timer)
  warm.timer = setTimeout(() => void closeRenderBrowser(), warmForMs)
  warm.timer.unref()
}

/** Closes the warm browser once the renders queued now are done (the server's shutdown). */
export async function closeRenderBrowser(): Promise<void> {
  await queue
  const entry = warm
  warm = null
  if (!entry) return
  clearTimeout(entry.timer)
  await entry.browser.then((b) => b.close()).catch(() => undefined)
}

async function renderNow(input: RenderInput): Promise<Buffer> {
  const browser = await browserFor(input.chromiumPath)
  const context = await browser.newContext({
    viewport: a4,
    deviceScaleFactor: input.format === 'png' ? 2 : 1,
  })
  try {
    const page = await context.newPage()
    // The page's own readiness mark is what counts: no need to wait for every subresource's load.
    await page.goto(input.pageUrl, { waitUntil: 'domcontentloaded', timeout: 30_000 })
    // The page says when its map and charts have drawn (or that the snapshot is gone).
    await page.waitForSelector('[data-snapshot-ready="true"]', { timeout: 45_000 })
    if (input.format === 'png') return await page.screenshot({ fullPage: true, type: 'png' })
    await page.emulateMedia({ media: 'print' })
    return await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      displayHeaderFooter: true,
      margin: { top: '14mm', bottom: '12mm', left: '8mm', right: '8mm' },
      headerTemplate: band(escapeHtml(input.header), ''),
      footerTemplate: band(
        escapeHtml(input.footer),
        'Trang <span class="pageNumber"></span>/<span class="totalPages"></span>',
      ),
    })
  } finally {
    await context.close().catch(() => undefined)
    keepWarm()
  }
}

/** Header/footer templates are rendered apart from the page: styles must be inline. */
function band(left: string, right: string): string {
  return `<div style="width:100%;font:8px 'Noto Sans','DejaVu Sans',sans-serif;color:#444;padding:0 8mm;display:flex;justify-content:space-between"><span>${left}</span><span>${right}</span></div>`
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
