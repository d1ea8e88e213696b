import { existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type Browser, chromium, type Page } from 'playwright-core'
import { chromiumLaunchArgs } from '../../../server/src/snapshots/render'

/** Debian's chromium (installed by .ci/run); never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const screenshotDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'screenshots')

/**
 * Why browser tests cannot run here, or null when they can. On a developer machine without
 * Chromium they are skipped with this one-line reason; under CI=true a missing browser fails.
 */
export function browserUnavailable(): string | null {
  if (existsSync(chromiumPath)) return null
  const reason = `no Chromium at ${chromiumPath} (apt-get install chromium, or set CHROMIUM_PATH)`
  if (process.env.CI === 'true') throw new Error(`browser tests cannot run under CI: ${reason}`)
  console.warn(`skipping browser tests: ${reason}`)
  return reason
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: chromiumLaunchArgs,
  })
}

/** Collects console errors and page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  return errors
}

export async function saveScreenshot(page: Page, name: string): Promise<string> {
  await mkdir(screenshotDir, { recursive: true })
  const file = path.join(screenshotDir, `${name}.png`)
  await page.screenshot({ path: file })
  return file
}

/** Counts canvas pixels near an RGB colour, to check that the map really drew something. */
export async function countCanvasPixels(
  page: Page,
  rgb: [number, number, number],
  tolerance = 40,
): Promise<number> {
  return page.evaluate(
    ([r, g, b, tol]) => {
      const canvas = document.querySelector('canvas.maplibregl-canvas') as HTMLCanvasElement | null
      if (!canvas) return 0
      const copy = document.createElement('canvas')
      copy.width = canvas.width
      copy.height = canvas.height
      const ctx = copy.getContext('2d')!
      ctx.drawImage(canvas, 0, 0)
      const data = ctx.getImageData(0, 0, copy.width, copy.height).data
      let n = 0
      for (let i = 0; i < data.length; i += 4) {
        if (
          Math.abs(data[i]! - r!) <= tol! &&
          Math.abs(data[i + 1]! - g!) <= tol! &&
          Math.abs(data[i + 2]! - b!) <= tol!
        )
          n++
      }
      return n
    },
    [...rgb, tolerance] as [number, number, number, number],
  )
}
