/**
 * The XML side of GeoReport v2: plain elements, no attributes, UTF-8. Objects become child
 * elements; an array becomes one element per entry, named by `itemName`; null is an empty element.
 */
export type XmlValue =
  | string
  | number
  | boolean
  | null
  | undefined
  | XmlValue[]
  | { [name: string]: XmlValue }

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}
// Characters XML 1.0 cannot carry at all (C0 controls other than tab, LF, CR).
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to drop
const invalid = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g

export function escapeXml(text: string): string {
  return text.replace(invalid, '').replace(/[&<>"']/g, (c) => escapes[c]!)
}

function element(name: string, value: XmlValue, itemNames: Record<string, string>): string {
  if (value === null || value === undefined || value === '') return `<${name}/>`
  if (Array.isArray(value)) {
    if (value.length === 0) return `<${name}/>`
    const child = itemNames[name] ?? 'item'
    return `<${name}>${value.map((v) => element(child, v, itemNames)).join('')}</${name}>`
  }
  if (typeof value === 'object') {
    const inner = Object.entries(value)
      .map(([k, v]) => element(k, v, itemNames))
      .join('')
    return `<${name}>${inner}</${name}>`
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`
}

/** A whole document: `<root>` holding one `<item>` per entry (or the object's fields). */
export function xmlDocument(root: string, value: XmlValue, itemNames: Record<string, string> = {}): string {
  return `<?xml version="1.0" encoding="utf-8"?>\n${element(root, value, itemNames)}\n`
}
