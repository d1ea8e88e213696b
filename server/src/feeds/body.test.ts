import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { type BodyItem, BodyMalformed, BodyTooLarge, readItems } from './body'

/** A body delivered in the given chunks, as a request stream would. */
function streamOf(chunks: Uint8Array[]) {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk)
      controller.close()
    },
  })
}
/** Cuts bytes at arbitrary places, including inside multi-byte characters and strings. */
function cut(bytes: Uint8Array, at: number[]) {
  const points = [...new Set(at.map((a) => a % (bytes.length + 1)))].sort((a, b) => a - b)
  const chunks: Uint8Array[] = []
  let from = 0
  for (const p of [...points, bytes.length]) {
    chunks.push(bytes.slice(from, p))
    from = p
  }
  return chunks
}
async function collect(
  body: string,
  format: 'json' | 'ndjson',
  at: number[] = [],
  limits = { maxBytes: 1e7, maxItems: 100 },
) {
  const items: BodyItem[] = []
  let single: boolean | undefined
  for await (const batch of readItems(
    streamOf(cut(new TextEncoder().encode(body), at)),
    format,
    limits,
    (s) => (single = s),
  )) {
    items.push(...batch)
  }
  return { items, single }
}
const values = fc.array(fc.jsonValue(), { maxLength: 20 })

describe('readItems', () => {
  it('cuts any JSON array into its elements, however the bytes are chunked', async () => {
    await fc.assert(
      fc.asyncProperty(values, fc.array(fc.nat(), { maxLength: 8 }), async (array, at) => {
        const { items, single } = await collect(
          JSON.stringify(array, null, at.length % 2 ? 1 : 0),
          'json',
          at,
        )
        expect(single).toBe(false)
        expect(items.map((i) => (i.ok ? i.value : i.message))).toEqual(JSON.parse(JSON.stringify(array)))
      }),
    )
  })

  it('reads NDJSON line by line with 1-based line numbers, skipping blank lines', async () => {
    await fc.assert(
      fc.asyncProperty(values, fc.array(fc.nat(), { maxLength: 8 }), async (array, at) => {
        const body = array.map((v) => `${JSON.stringify(v)}\r\n\n`).join('')
        const { items } = await collect(body, 'ndjson', at)
        expect(items.map((i) => (i.ok ? i.value : null))).toEqual(JSON.parse(JSON.stringify(array)))
        expect(items.map((i) => i.line)).toEqual(array.map((_, k) => 2 * k + 1))
      }),
    )
  })

  it('tells a single object from a batch, and reports bad elements by index', async () => {
    expect(await collect(' {"a": [1, "]"]} ', 'json', [3])).toMatchObject({
      single: true,
      items: [{ ok: true, value: { a: [1, ']'] } }],
    })
    const { items } = await collect('[1, {bad}, , 2]', 'json')
    expect(items.map((i) => [i.index, i.ok])).toEqual([
      [0, true],
      [1, false],
      [2, false],
      [3, true],
    ])
  })

  it('refuses bodies that are not JSON of the right shape, are cut short or break the limits', async () => {
    await expect(collect('', 'json')).rejects.toThrow(BodyMalformed)
    await expect(collect('"text"', 'json')).rejects.toThrow(BodyMalformed)
    await expect(collect('[1, 2', 'json')).rejects.toThrow(BodyMalformed)
    await expect(collect('[1] 2', 'json')).rejects.toThrow(BodyMalformed)
    await expect(collect('{"a": ', 'json')).rejects.toThrow(BodyMalformed)
    await expect(collect('[1,2,3]', 'json', [], { maxBytes: 100, maxItems: 2 })).rejects.toThrow(BodyTooLarge)
    await expect(
      collect(`[${'1,'.repeat(100)}1]`, 'json', [10, 50], { maxBytes: 64, maxItems: 1000 }),
    ).rejects.toThrow(BodyTooLarge)
  })
})
