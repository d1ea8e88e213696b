/**
 * The one rule for personal data leaving the server (docs/design.md §2, §5): for a wall, an anonymous
 * snapshot link or an Open311 read, a ticket's `reporter` is removed, and phone numbers and
 * e-mail addresses that a citizen typed into free text are masked. No zod here, so screens can
 * import it (`@citydeck/shared/redact`) without the feed schemas.
 */

/** Fields that are personal data as a whole. */
const personalKeys = new Set(['reporter'])
/** Free-text fields a person may have written contact details into. */
const freeTextKeys = new Set(['title', 'description', 'address', 'comment', 'report', 'note', 'instruction'])

// Vietnamese numbers as people write them: 0912 345 678, 0912.345.678, 091-234-5678,
// (0252) 3822 123, +84 912 345 678, 0084912345678. A run of 9–11 digits after the prefix, with
// single spaces, dots or dashes between them; a longer digit run (an id) is left alone.
const phone = /(?<![\d+])(?:\(?(?:\+|00)\s?84\)?[\s.-]?|\(?0)(?:\d\)?[\s.-]?){8,10}\d(?![\d])/g
const email = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu

/**
 * Whether a text could hold a contact: an @, or nine digits. A cheap scan, since most titles
 * and addresses hold neither and every change to a wall passes here.
 */
function mayHoldContact(text: string): boolean {
  if (text.includes('@')) return true
  let digits = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c >= 48 && c <= 57 && ++digits >= 9) return true
  }
  return false
}

/** `0912 345 678` → `09•• ••• •••`; `an.nguyen@gmail.com` → `a•••@•••`: the kind stays readable. */
export function maskContacts(text: string): string {
  if (!mayHoldContact(text)) return text
  return text
    .replace(email, (m) => `${m[0]}•••@•••`)
    .replace(phone, (m) => {
      let kept = 0
      return m.replace(/\d/g, (d) => (kept++ < 2 ? d : '•'))
    })
}

/** A feed item without personal data: `reporter` removed, contacts in free text masked. */
export function redactItem<T extends object>(item: T): T {
  let out: T | null = null
  for (const [key, value] of Object.entries(item)) {
    const masked = typeof value === 'string' && freeTextKeys.has(key) ? maskContacts(value) : value
    if (!personalKeys.has(key) && masked === value) continue
    out ??= { ...item }
    if (personalKeys.has(key)) Reflect.deleteProperty(out, key)
    else Reflect.set(out, key, masked)
  }
  return out ?? item
}

/** A change whose item is redacted (see redactItem); the same object when nothing changed. */
export function redactChange<C extends { item: object }>(change: C): C {
  const item = redactItem(change.item)
  return item === change.item ? change : { ...change, item }
}

/** A deep copy of a frozen view (a snapshot's data) with every item in it redacted. */
export function redactDeep<T>(value: T): T {
  if (Array.isArray(value)) return value.map(redactDeep) as T
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [key, v] of Object.entries(value)) {
      if (personalKeys.has(key)) continue
      out[key] = typeof v === 'string' && freeTextKeys.has(key) ? maskContacts(v) : redactDeep(v)
    }
    return out as T
  }
  return value
}
