/** Where a page ended: the sort key of its last row. Opaque to clients (base64url JSON). */
export type Cursor = { at: string; source: string; ref: string }

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.source, cursor.ref])).toString('base64url')
}

export function decodeCursor(text: string): Cursor | null {
  try {
    const [at, source, ref] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown[]
    if (typeof at !== 'string' || typeof source !== 'string' || typeof ref !== 'string') return null
    if (Number.isNaN(Date.parse(at))) return null
    return { at, source, ref }
  } catch {
    return null
  }
}
