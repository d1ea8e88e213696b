/**
 * Reads an ingest body as it arrives: one JSON object, a JSON array, or NDJSON. The raw body is
 * never held whole: array elements and NDJSON lines are cut out of the byte stream one at a
 * time and parsed on their own, so a 50 MB batch costs the memory of its parsed items.
 */

/** One item of the body, parsed, or the reason it could not be. `line` is 1-based, NDJSON only. */
export type BodyItem = { index: number; line?: number } & (
  | { ok: true; value: unknown }
  | { ok: false; message: string }
)

export type BodyLimits = {
  maxBytes: number
  maxItems: number
  /** Longest wait for the next part of the body (ms); none when absent. */
  idleMs?: number
}

/** The body breaks a limit: answered with 413. */
export class BodyTooLarge extends Error {}
/** The body as a whole is not JSON of the expected shape: answered with 400. */
export class BodyMalformed extends Error {}
/** The body stopped arriving for longer than `idleMs`: answered with 408. */
export class BodyStalled extends Error {}

export type BodyFormat = 'json' | 'ndjson'

/**
 * Yields the body's items, in order, a chunk's worth at a time (one array per piece of the
 * body that completed items: per-item async steps would cost more than parsing them);
 * `single` says whether the body was one object rather than a batch.
 */
export async function* readItems(
  stream: AsyncIterable<Uint8Array> | null,
  format: BodyFormat,
  limits: BodyLimits,
  onShape?: (single: boolean) => void,
): AsyncGenerator<BodyItem[]> {
  const texts = decode(
    stream && limits.idleMs ? withIdleLimit(stream, limits.idleMs) : stream,
    limits.maxBytes,
  )
  const batches = format === 'ndjson' ? ndjsonItems(texts) : jsonItems(texts, onShape)
  let count = 0
  for await (const items of batches) {
    count += items.length
    if (count > limits.maxItems) {
      throw new BodyTooLarge(`a request may carry at most ${limits.maxItems} items`)
    }
    if (items.length) yield items
  }
  if (format === 'ndjson') onShape?.(false)
}

async function* decode(stream: AsyncIterable<Uint8Array> | null, maxBytes: number) {
  if (!stream) return
  const decoder = new TextDecoder('utf-8')
  let bytes = 0
  for await (const chunk of stream) {
    bytes += chunk.byteLength
    if (bytes > maxBytes) throw new BodyTooLarge(`the body is larger than ${maxBytes} bytes`)
    yield decoder.decode(chunk, { stream: true })
  }
  const rest = decoder.decode()
  if (rest) yield rest
}

/**
 * The stream's chunks, failing with BodyStalled when none arrives for `idleMs`. The stream is
 * left as it is then (its iterator cannot be closed while a read is pending): the route
 * answers and closes the connection, which ends it.
 */
async function* withIdleLimit(stream: AsyncIterable<Uint8Array>, idleMs: number) {
  const chunks = stream[Symbol.asyncIterator]()
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    while (true) {
      const stalled = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new BodyStalled(`no part of the body arrived for ${idleMs / 1000} s`)),
          idleMs,
        )
      })
      const next = await Promise.race([chunks.next(), stalled])
      clearTimeout(timer)
      if (next.done) return
      yield next.value
    }
  } finally {
    clearTimeout(timer)
  }
}

function parse(text: string, index: number, line?: number): BodyItem {
  try {
    return { index, line, ok: true, value: JSON.parse(text) }
  } catch (error) {
    return { index, line, ok: false, message: `not valid JSON: ${(error as Error).message}` }
  }
}

async function* ndjsonItems(texts: AsyncIterable<string>): AsyncGenerator<BodyItem[]> {
  let pending = ''
  let line = 0
  let index = 0
  const take = (text: string, into: BodyItem[]) => {
    line++
    const trimmed = text.trim()
    if (trimmed) into.push(parse(trimmed, index++, line))
  }
  for await (const text of texts) {
    let newline = text.indexOf('\n')
    if (newline < 0) {
      // No line ends here: only this chunk is searched, so a long line costs linear time.
      pending += text
      continue
    }
    const items: BodyItem[] = []
    take(pending + text.slice(0, newline), items)
    let start = newline + 1
    for (newline = text.indexOf('\n', start); newline >= 0; newline = text.indexOf('\n', start)) {
      take(text.slice(start, newline), items)
      start = newline + 1
    }
    pending = text.slice(start)
    yield items
  }
  const last: BodyItem[] = []
  take(pending, last)
  yield last
}

const isSpace = (ch: number) => ch === 32 || ch === 10 || ch === 13 || ch === 9

/**
 * A JSON body: `{…}` is one item (parsed when complete); `[…]` is cut into its top-level
 * elements by tracking strings and nesting, each element parsed by JSON.parse.
 */
async function* jsonItems(
  texts: AsyncIterable<string>,
  onShape?: (single: boolean) => void,
): AsyncGenerator<BodyItem[]> {
  let mode: 'start' | 'object' | 'array' | 'done' = 'start'
  let objectText = ''
  let pending = ''
  let depth = 0
  let inString = false
  let escaped = false
  let index = 0
  const elements: string[] = []

  for await (const text of texts) {
    if (mode === 'object') {
      objectText += text
      continue
    }
    let start = 0
    for (let i = 0; i < text.length && mode !== 'object'; i++) {
      const ch = text.charCodeAt(i)
      if (inString) {
        if (escaped) escaped = false
        else if (ch === 92) escaped = true
        else if (ch === 34) inString = false
        continue
      }
      if (mode === 'start') {
        if (isSpace(ch) || ch === 0xfeff) continue
        if (ch === 123) {
          mode = 'object'
          onShape?.(true)
          objectText = text.slice(i)
        } else if (ch === 91) {
          mode = 'array'
          onShape?.(false)
          start = i + 1
        } else throw new BodyMalformed('the body must be a JSON object, a JSON array, or NDJSON')
        continue
      }
      if (mode === 'done') {
        if (!isSpace(ch)) throw new BodyMalformed('unexpected text after the closing ] of the array')
        continue
      }
      if (ch === 34) inString = true
      else if (ch === 123 || ch === 91) depth++
      else if ((ch === 125 || ch === 93) && depth > 0) depth--
      else if (ch === 44 && depth === 0) {
        elements.push(pending + text.slice(start, i))
        pending = ''
        start = i + 1
      } else if (ch === 93) {
        const last = pending + text.slice(start, i)
        if (last.trim() || elements.length > 0 || index > 0) elements.push(last)
        pending = ''
        mode = 'done'
      }
    }
    if (mode === 'array') pending += text.slice(start)
    const items: BodyItem[] = []
    for (const element of elements) {
      const trimmed = element.trim()
      items.push(trimmed ? parse(trimmed, index) : { index, ok: false, message: 'empty array element' })
      index++
    }
    elements.length = 0
    yield items
  }
  if (mode === 'start') throw new BodyMalformed('the body is empty: send a JSON object, array or NDJSON')
  if (mode === 'array') throw new BodyMalformed('the JSON array is not closed: the body was cut short')
  if (mode === 'object') {
    try {
      yield [{ index: 0, ok: true, value: JSON.parse(objectText) }]
    } catch (error) {
      throw new BodyMalformed(`the body is not valid JSON: ${(error as Error).message}`)
    }
  }
}
