/** A scheduler the test runs by hand: no real waiting, no timing in assertions. */
export function manualTimers() {
  const pending: Array<() => void> = []
  const delays: number[] = []
  const clock = { ms: 0 }
  return {
    pending,
    delays,
    clock,
    now: () => clock.ms,
    setTimer: (fn: () => void, ms: number) => {
      delays.push(ms)
      return pending.push(fn)
    },
    clearTimer: () => pending.splice(0),
    runNext: () => pending.shift()!(),
  }
}
