import type { Change } from '@citydeck/shared'

/**
 * Removes personal data (a ticket's `reporter`, DESIGN §2) from an item before it leaves for a
 * role that may not see it. Other feeds carry none; a new personal field must be added here.
 */
export function withoutPersonalData<T extends object>(item: T): T {
  if (!('reporter' in item)) return item
  const { reporter: _removed, ...rest } = item as T & { reporter?: unknown }
  return rest as T
}

export function redactChange(change: Change): Change {
  const item = withoutPersonalData(change.item)
  return item === change.item ? change : { ...change, item }
}
