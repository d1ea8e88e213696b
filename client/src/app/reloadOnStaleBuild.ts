/** What the handler needs from the browser (injected in tests). */
export type StaleBuildHost = {
  target: Pick<Window, 'addEventListener' | 'removeEventListener'>
  /** Whether the server answers with a page now. */
  serverAnswers: () => Promise<boolean>
  reload: () => void
  storage: Pick<Storage, 'getItem' | 'setItem'> | null
  now: () => number
  setTimer: (fn: () => void, ms: number) => unknown
  clearTimer: (handle: unknown) => void
}

const lastReloadKey = 'citydeck:stale-build-reload'
/** Between two checks of the server, and the least time between two reloads. */
export const staleBuildTiming = { checkEveryMs: 15_000, minReloadGapMs: 60_000 }

const browserHost = (): StaleBuildHost => ({
  target: window,
  serverAnswers: () =>
    fetch('/', { cache: 'no-store' }).then(
      (res) => res.ok,
      () => false,
    ),
  reload: () => location.reload(),
  storage: (() => {
    try {
      return sessionStorage
    } catch {
      return null
    }
  })(),
  now: () => Date.now(),
  setTimer: (fn, ms) => setTimeout(fn, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
})

/**
 * A screen left open across a deploy asks for chunks of its old build (the next scene of a
 * playlist, a leader's next page), which the server no longer has. Vite reports a failed chunk
 * load as `vite:preloadError`; the page then reloads into the new build. Not while the server is
 * down (a reload would leave the browser's own error page, which never retries): it checks every
 * 15 s until the server answers. And not twice within a minute, so a build that is itself broken
 * cannot make a screen reload in a loop. Returns a function that removes the handler.
 */
export function reloadOnStaleBuild(host: StaleBuildHost = browserHost()): () => void {
  let timer: unknown = null
  // One attempt at a time, however many chunks failed: it ends in a reload or keeps checking.
  let trying = false
  const attempt = async () => {
    timer = null
    const last = Number(host.storage?.getItem(lastReloadKey) ?? 0)
    const waited = host.now() - last >= staleBuildTiming.minReloadGapMs
    if (waited && (await host.serverAnswers())) {
      host.storage?.setItem(lastReloadKey, String(host.now()))
      host.reload()
      return
    }
    timer = host.setTimer(() => void attempt(), staleBuildTiming.checkEveryMs)
  }
  const onPreloadError = () => {
    if (trying) return
    trying = true
    void attempt()
  }
  host.target.addEventListener('vite:preloadError', onPreloadError)
  return () => {
    host.target.removeEventListener('vite:preloadError', onPreloadError)
    if (timer !== null) host.clearTimer(timer)
  }
}
