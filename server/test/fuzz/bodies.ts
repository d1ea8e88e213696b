import fc from 'fast-check'
import { mutated } from './values'

// Every kind of body a JSON route can be sent: its object mutated, under the wrong content type,
// not JSON at all, bytes that are not UTF-8, or valid JSON of the wrong shape.

/** A body as sent; a mutated JSON body also says what it held and which value was broken. */
export type SentBody =
  | { kind: 'json'; contentType: string; body: string; sent: unknown; path: string | null }
  | {
      kind: 'wrong type' | 'not json' | 'bad bytes' | 'json reshaped'
      contentType: string | undefined
      body: string | Uint8Array<ArrayBuffer>
    }

const jsonTypes = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'Application/JSON')
const wrongTypes = fc.constantFrom(
  undefined,
  'text/plain',
  'text/plain;charset=UTF-8',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xx',
  'text/csv',
  'application/x-ndjson',
  'application/xml',
  'application/jsonx',
  '',
)
const notJson = fc.constantFrom(
  '',
  '{',
  '{"a":',
  '[1,',
  'nul',
  'undefined',
  "{'a':1}",
  '{"a":1}{"b":2}',
  '\u0000',
  '{"a":"\\ud800"}',
  '{"__proto__":{"admin":true}}',
  'a=b&c=d',
  'source;ref;updatedAt\nx;1;28/11/2026',
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `{"a":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
)
const badBytes = fc.constantFrom(
  new Uint8Array([0xff, 0xfe, 0x7b]),
  new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
  new Uint8Array([0xc0, 0x80]),
)

/** Every body kind a JSON route can be sent, around its valid-ish object. */
export function jsonBodies(valid: fc.Arbitrary<unknown>): fc.Arbitrary<SentBody> {
  return fc.oneof(
    {
      weight: 8,
      arbitrary: fc.tuple(mutated(valid), jsonTypes).map(
        ([m, type]): SentBody => ({
          kind: 'json',
          contentType: type,
          body: JSON.stringify(m.value) ?? 'null',
          sent: m.value,
          path: m.path,
        }),
      ),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(valid, wrongTypes)
        .map(([v, type]): SentBody => ({ kind: 'wrong type', contentType: type, body: JSON.stringify(v) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(notJson, jsonTypes)
        .map(([body, type]): SentBody => ({ kind: 'not json', contentType: type, body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(badBytes, jsonTypes)
        .map(([body, type]): SentBody => ({ kind: 'bad bytes', contentType: type, body })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(
          valid,
          fc.constantFrom<(v: unknown) => unknown>(
            (v) => [v],
            (v) => ({ data: v }),
            () => 'x',
            () => 5,
            () => null,
          ),
        )
        .map(
          ([v, f]): SentBody => ({
            kind: 'json reshaped',
            contentType: 'application/json',
            body: JSON.stringify(f(v)),
          }),
        ),
    },
  )
}
