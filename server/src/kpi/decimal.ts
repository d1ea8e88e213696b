/** Exact decimal sums of seconds (PostgreSQL numeric text) without floating point. */

/** Decimal seconds text (microsecond precision at most) to integer microseconds, exactly. */
export function micros(text: string | null): bigint {
  if (!text) return 0n
  const negative = text.startsWith('-')
  const [whole = '0', frac = ''] = text.replace('-', '').split('.')
  const value = BigInt(whole) * 1_000_000n + BigInt(`${frac}000000`.slice(0, 6))
  return negative ? -value : value
}
export function fromMicros(us: bigint): string {
  const negative = us < 0n
  const abs = negative ? -us : us
  return `${negative ? '-' : ''}${abs / 1_000_000n}.${String(abs % 1_000_000n).padStart(6, '0')}`
}
