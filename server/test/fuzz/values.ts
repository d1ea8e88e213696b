import fc from 'fast-check'

/**
 * Hostile values as an attacker or a broken integrator sends them (issue #15): text PostgreSQL
 * cannot store, dates outside what it or JavaScript can hold, numbers past every range, wrong
 * types, deep nesting and long strings. Shared by the fuzz test and the fuzz bench.
 */

/** Text values that crashed a server before, or could. */
export const nastyTexts = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufeff',
  '\u202e',
  'đèn hỏng\u0000',
  '%00',
  '%',
  '%zz',
  '..',
  '../../etc/passwd',
  "' or 1=1 --",
  '$1',
  '\\',
  '"',
  '<x>&amp;',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  ',',
  'open,,closed',
  ':',
  'a:b',
  'ticket:a:b',
  '0',
  '-1',
  '1.5',
  '1e309',
  '-0',
  'NaN',
  'Infinity',
  '0x10',
  '99999999999999999999',
  '9007199254740993',
  '2147483648',
  '0000-01-01T00:00:00Z',
  '0000-01-01',
  '0001-01-01T00:00:00+14:00',
  '1899-12-31T23:59:59Z',
  '1900-01-01T00:00:00+07:00',
  '2999-12-31T23:59:59-12:00',
  '3000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '9999-12-31T23:59:59-14:00',
  '9999-99-99',
  '10000-01-01T00:00:00Z',
  '+275760-09-13T00:00:00.000Z',
  '-271821-04-20T00:00:00.000Z',
  '2026-02-30T00:00:00+07:00',
  '2026-11-28T24:00:00+07:00',
  '2026-11-28T08:00:00+99:99',
  '2026-11-28T08:00:00',
  '2026-11-28 08:00',
  '28/11/2026',
  '2026-11-28',
  '2026-11-28T08:00:00+07:00',
  'x'.repeat(300),
  'đ'.repeat(6000),
] as const

const farDates = fc
  .date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true })
  .chain((d) =>
    fc.constantFrom(
      d.toISOString(),
      d.toISOString().replace('Z', '+07:00'),
      d.toISOString().replace('Z', '-14:00'),
      d.toISOString().slice(0, 10),
    ),
  )

const nearDates = fc
  .date({ min: new Date('1899-06-01T00:00:00Z'), max: new Date('3000-06-01T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().replace('Z', '+07:00'))

/** A hostile string: a known bad one, a random one (lone surrogates included), a far date. */
export const nastyText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...nastyTexts) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 2, arbitrary: farDates },
  { weight: 1, arbitrary: nearDates },
  { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.double()).map(String) },
  // Long, but short enough for a URL to reach the routes (Node refuses headers past 16 kB).
  { weight: 1, arbitrary: fc.constant('y'.repeat(3000)) },
)

/** An array nested `depth` deep, around `leaf`. */
export function nested(depth: number, leaf: unknown = 1): unknown {
  let value = leaf
  for (let i = 0; i < depth; i++) value = [value]
  return value
}

/** Any hostile JSON value: the strings above, extreme numbers, wrong types, deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: nastyText },
  { weight: 1, arbitrary: fc.constant('z'.repeat(70_000)) },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      1e308,
      -1e308,
      1e21,
      2 ** 53 + 2,
      -(2 ** 63),
      2 ** 31,
      -1,
      0,
      -0,
      0.5,
      101,
      3651,
      true,
      false,
      null,
      [],
      {},
      [1, 2],
      ['a'],
      { a: 1 },
      { lat: 91, lng: 181 },
    ),
  },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((d) => nested(d)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 400 }).map((d) => nested(d, { a: '\ud800' })) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2, withNullPrototype: false }) },
  { weight: 1, arbitrary: fc.array(nastyText, { maxLength: 3 }) },
)

type Json = Record<string, unknown>

/** Paths to every value in `value` ([] is the value itself). */
function paths(value: unknown, prefix: string[] = []): string[][] {
  const out: string[][] = [prefix]
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...prefix, k]))
  }
  return out
}

function setAt(root: unknown, path: string[], value: unknown, remove: boolean): unknown {
  if (path.length === 0) return value
  const copy = structuredClone(root) as Json
  let at = copy
  for (const key of path.slice(0, -1)) at = at[key] as Json
  const last = path.at(-1)!
  if (remove) Reflect.deleteProperty(at, last)
  else at[last] = value
  return copy
}

/**
 * A valid-ish object with one thing broken: one value anywhere replaced by a hostile one, a
 * field removed, or a field added; sometimes left valid. `path` says what changed.
 */
export function mutated<T>(valid: fc.Arbitrary<T>) {
  return fc
    .tuple(
      valid,
      fc.nat(),
      fc.constantFrom('replace', 'replace', 'replace', 'remove', 'add', 'keep'),
      nastyValue,
      fc.constantFrom('extra', '__proto__', 'constructor', '\ud800', ''),
    )
    .map(([value, pick, how, bad, extraKey]) => {
      if (how === 'keep') return { value: value as unknown, path: null as string | null }
      if (how === 'add') {
        if (!value || typeof value !== 'object' || Array.isArray(value))
          return { value: value as unknown, path: null }
        return { value: { ...(value as Json), [extraKey]: bad } as unknown, path: extraKey }
      }
      const all = paths(value)
      const chosen = all[pick % all.length]!
      if (how === 'remove' && chosen.length === 0) return { value: value as unknown, path: null }
      return { value: setAt(value, chosen, bad, how === 'remove'), path: chosen.join('.') }
    })
}

/** Percent-encodes text as its (WTF-8) bytes, so lone surrogates travel as a client would send them. */
export function percentEncode(text: string): string {
  let out = ''
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    if (/^[A-Za-z0-9\-._~]$/.test(ch)) {
      out += ch
      continue
    }
    for (const byte of wtf8(cp)) out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

function wtf8(cp: number): number[] {
  if (cp < 0x80) return [cp]
  if (cp < 0x800) return [0xc0 | (cp >> 6), 0x80 | (cp & 63)]
  if (cp < 0x10000) return [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
  return [0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 63), 0x80 | ((cp >> 6) & 63), 0x80 | (cp & 63)]
}
