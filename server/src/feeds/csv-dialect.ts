import { open } from 'node:fs/promises'

/** Which comes first in a `28/11/2026`-like date: the day (Vietnamese, British) or the month (US). */
export type DateOrder = 'day first' | 'month first'

/** How a file writes its cells: what separates them, how its dates read, and the city's zone for times without an offset. */
export type CellDialect = { delimiter: string; dateOrder: DateOrder; timeZone: string }

/** `--date-format` values. */
export const dateFormats: Record<string, DateOrder> = {
  'dd/mm/yyyy': 'day first',
  'mm/dd/yyyy': 'month first',
}

/** `--delimiter` values, by what a person would type. */
export const delimiters: Record<string, string> = {
  ',': ',',
  ';': ';',
  tab: '\t',
  '\\t': '\t',
  '\t': '\t',
  '|': '|',
}

const candidates = [',', ';', '\t', '|']
const sniffBytes = 64 * 1024

/**
 * The separator of a CSV file, from its header line: the candidate found most often outside
 * quotes (Excel writes `;` where the decimal mark is a comma, as in Vietnamese), `,` if none.
 */
export async function detectDelimiter(file: string): Promise<string> {
  const handle = await open(file)
  try {
    const buffer = Buffer.alloc(sniffBytes)
    const { bytesRead } = await handle.read(buffer, 0, sniffBytes, 0)
    return delimiterOf(buffer.subarray(0, bytesRead).toString('utf8'))
  } finally {
    await handle.close()
  }
}

export function delimiterOf(text: string): string {
  const counts = new Map(candidates.map((c) => [c, 0]))
  let quoted = false
  for (const char of text.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted
    else if (!quoted && (char === '\n' || char === '\r')) break
    else if (!quoted && counts.has(char)) counts.set(char, counts.get(char)! + 1)
  }
  let best = ','
  for (const [c, n] of counts) if (n > counts.get(best)!) best = c
  return best
}
