import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type XmlValue, xmlDocument } from './xml'

export type Format = 'json' | 'xml'

/** `requests.json` → { name: 'requests', format: 'json' }; null without a known format. */
export function splitFormat(file: string): { name: string; format: Format } | null {
  const match = /^(.+)\.(json|xml)$/i.exec(file)
  return match ? { name: match[1]!, format: match[2]!.toLowerCase() as Format } : null
}

/** Answers in the requested format; in XML, `root` wraps the list and `item` names each entry. */
export function reply(
  c: Context,
  format: Format,
  body: XmlValue,
  xml: { root: string; item?: string; names?: Record<string, string> },
  status: ContentfulStatusCode = 200,
) {
  if (format === 'json') return c.json(body, status)
  const names = { ...(xml.item ? { [xml.root]: xml.item } : {}), ...xml.names }
  return c.body(xmlDocument(xml.root, body, names), status, { 'content-type': 'text/xml; charset=utf-8' })
}

/** GeoReport v2 errors: an array of `{code, description}`, `<errors><error>…` in XML. */
export function replyError(c: Context, format: Format, status: ContentfulStatusCode, description: string) {
  return reply(c, format, [{ code: status, description }], { root: 'errors', item: 'error' }, status)
}
