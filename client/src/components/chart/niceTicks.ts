/** Steps a tick interval may take, per power of ten. */
const niceSteps = [1, 2, 2.5, 5, 10]

/**
 * Round axis ticks covering `min`..`max` in about `count` intervals: the smallest step of 1, 2,
 * 2.5 or 5 times a power of ten that needs no more than `count` of them, the ends widened to the
 * step's multiples. An empty range (all values equal) reaches up to twice its value (0: up to 1).
 */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1]
  if (max < min) [min, max] = [max, min]
  if (max === min) max = min === 0 ? 1 : min + Math.abs(min)
  const raw = (max - min) / Math.max(1, count)
  const power = 10 ** Math.floor(Math.log10(raw))
  const step = power * niceSteps.find((s) => s * power >= raw * (1 - 1e-9))!
  // Enough decimals to write the step exactly, so 0.1 + 0.2 does not come out as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1)
  const first = Math.floor(min / step + 1e-9)
  const last = Math.ceil(max / step - 1e-9)
  const ticks: number[] = []
  for (let i = first; i <= last; i++) ticks.push(Number((i * step).toFixed(decimals)))
  return ticks
}
