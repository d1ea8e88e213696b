/** Keys that carry personal data anywhere in a frozen view (a ticket's reporter). */
const personalKeys = new Set(['reporter'])

/** A deep copy of `value` without personal data, for anyone who is not a leader or admin. */
export function redactPersonalData<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactPersonalData) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) if (!personalKeys.has(key)) out[key] = redactPersonalData(v)
    return out as T
  }
  return value
}
