/**
 * Whether `promise` settles (either way) within `ms`, without consuming its outcome: for waits
 * that must not outlast a budget, such as a shutdown waiting for work in flight
 * (docs/design.md §11) or a write waiting for the next group commit.
 */
export function settlesWithin(
  promise: Promise<unknown> | undefined,
  ms: number,
): Promise<'in time' | 'late'> {
  if (!promise) return Promise.resolve('in time')
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), ms)
  })
  const inTime = promise.then(
    () => 'in time' as const,
    () => 'in time' as const,
  )
  return Promise.race([inTime, late]).finally(() => clearTimeout(timer))
}
