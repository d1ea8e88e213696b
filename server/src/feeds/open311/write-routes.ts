import { createHash, randomUUID } from 'node:crypto'
import { type Context, Hono } from 'hono'
import { resolveToken, type TokenRecord } from '../../access/tokens'
import type { AppDeps } from '../../context'
import { ticketFromRow } from '../../items/wire'
import { ingestItems } from '../ingest'
import { ingestRateLimit, tokenBucket } from '../rate-limit'
import { applyFmsUpdate, georeportRejection, parseRequestId, requestId, w3c } from './mapping'
import { databaseNow, deliveredUpdate, findTicket, saveUpdate, seqOfVersion } from './open311.sql'
import { attributesOf, open311Params, w3cParam } from './params'
import { requestsXml } from './read-routes'
import { type Format, reply, replyError, splitFormat } from './respond'

/** Source of tickets an admin key files through Open311 (a feed key files under its own). */
const adminSource = 'open311'

/**
 * GeoReport v2 writes with `api_key` (a feed key, or an admin key): POST requests creates a
 * ticket through the same ingest path as the feeds; FixMyStreet's POST servicerequestupdates
 * moves an existing ticket's status.
 */
export function open311WriteRoutes(deps: AppDeps) {
  // The key's token is looked up once, here: its id is the bucket the HTTP feeds use too.
  const tokens = new WeakMap<Request, Promise<TokenRecord | null>>()
  const tokenOf = (c: Context) => {
    let token = tokens.get(c.req.raw)
    if (!token) {
      token = open311Params(c).then((p) => (p.api_key ? resolveToken(deps.sql, p.api_key) : null))
      tokens.set(c.req.raw, token)
    }
    return token
  }
  const limited = ingestRateLimit(deps, {
    keyOf: async (c) => {
      const token = await tokenOf(c)
      if (token) return tokenBucket(token.id)
      const key = (await open311Params(c)).api_key ?? ''
      return `open311:${createHash('sha256').update(key).digest('hex')}`
    },
    respond: (c, message) =>
      replyError(c, splitFormat(c.req.param('file') ?? '')?.format ?? 'json', 429, message),
  })
  return new Hono().post('/:file', limited, async (c) => {
    const file = splitFormat(c.req.param('file'))
    if (!file || (file.name !== 'requests' && file.name !== 'servicerequestupdates')) {
      return replyError(c, file?.format ?? 'json', 404, 'POST requests.json or servicerequestupdates.json')
    }
    const params = await open311Params(c)
    const token = await tokenOf(c)
    const source =
      token?.role === 'admin' ? adminSource : token?.role.startsWith('feed:') ? token.role.slice(5) : null
    if (!source) {
      return replyError(
        c,
        file.format,
        403,
        params.api_key ? 'api_key is not valid for writing' : 'api_key is required',
      )
    }
    return file.name === 'requests'
      ? createRequest(c, file.format, params, source)
      : postUpdate(c, file.format, params, token!.role === 'admin' ? null : source)
  })

  async function createRequest(
    c: Parameters<typeof reply>[0],
    format: Format,
    p: Record<string, string>,
    source: string,
  ) {
    if (!p.service_code) return replyError(c, format, 400, 'service_code is required')
    const category = deps.city.profile.categories.find((cat) => cat.code === p.service_code)
    if (!category) return replyError(c, format, 400, `service_code ${p.service_code} not found`)
    const hasPoint = !!p.lat || !!p.long
    const lat = Number(p.lat)
    const lng = Number(p.long)
    if (hasPoint && (!p.lat || !p.long || Number.isNaN(lat) || Number.isNaN(lng))) {
      return replyError(
        c,
        format,
        400,
        'lat and long must both be numbers (or both left out, with address_string)',
      )
    }
    const address = p.address_string?.trim()
    if (!hasPoint && !address) {
      return replyError(c, format, 400, 'lat and long, or address_string, are required')
    }
    const now = deps.clock().toISOString()
    const description = p.description?.trim()
    const name = [p.first_name, p.last_name].filter(Boolean).join(' ')
    const reporter = { name: name || undefined, email: p.email || undefined, phone: p.phone || undefined }
    const attributes = attributesOf(p)
    const ticket = {
      source,
      ref: randomUUID(),
      updatedAt: now,
      receivedAt: now,
      category: category.code,
      title: description ? description.split('\n')[0]!.slice(0, 120) : category.name,
      description: description || undefined,
      location: hasPoint ? { lat, lng } : undefined,
      address: address || undefined,
      status: 'received',
      channel: 'open311',
      reporter: name || p.email || p.phone ? reporter : undefined,
      media: p.media_url ? [p.media_url] : undefined,
      attributes: Object.keys(attributes).length ? attributes : undefined,
    }
    const result = await ingestItems(deps, 'tickets', [ticket], { source })
    const bad = result.rejected[0]
    if (bad) return replyError(c, format, 400, georeportRejection(bad))
    // GeoReport has no warnings list: what the JSON feed would warn about is said in the notice.
    const warnings = result.warnings.map((w) =>
      w.field === 'location' && !hasPoint
        ? 'Không có tọa độ: lưu không có phường / no lat/long: stored by address, without a ward'
        : 'Vị trí ngoài thành phố: lưu không có phường / location is outside the city: stored without a ward',
    )
    const notice = [
      `Xử lý trong ${category.slaHours} giờ / to be resolved within ${category.slaHours} hours`,
      ...warnings,
    ].join('. ')
    const body = [{ service_request_id: requestId(ticket), service_notice: notice, account_id: null }]
    return reply(c, format, body, requestsXml)
  }

  /**
   * FixMyStreet's POST servicerequestupdates: the update is applied as FixMyStreet means it
   * (mapping.ts applyFmsUpdate) through the ingest path, and its comment text and photo are kept
   * beside the version it wrote. An update that was not applied (older than the stored ticket, or
   * of the same second and losing the tie-break) is answered 409, never as if it had been; one
   * the sender already delivered (same `update_id`) is answered with the update_id it got.
   */
  async function postUpdate(
    c: Parameters<typeof reply>[0],
    format: Format,
    p: Record<string, string>,
    onlySource: string | null,
  ) {
    const id = parseRequestId(p.service_request_id ?? '')
    if (!id) return replyError(c, format, 400, 'service_request_id is required, as <source>:<ref>')
    if (onlySource && id.source !== onlySource) {
      return replyError(c, format, 403, `this api_key may only update requests of source ${onlySource}`)
    }
    const at = w3cParam(p, 'updated_datetime', deps.city.profile.timeZone)
    if (at instanceof Error) return replyError(c, format, 400, at.message)
    if (p.media_url && !URL.canParse(p.media_url)) {
      return replyError(c, format, 400, 'media_url must be a URL')
    }
    const row = await findTicket(deps.sql, id.source, id.ref)
    if (!row) return replyError(c, format, 404, `service_request_id ${p.service_request_id} not found`)
    const current = ticketFromRow(row)
    const updatedAt = (at ?? deps.clock()).toISOString()
    const next = applyFmsUpdate(current, p.status, updatedAt)
    const before = await databaseNow(deps.sql)
    const result = await ingestItems(deps, 'tickets', [next], { source: id.source })
    const bad = result.rejected[0]
    if (bad) return replyError(c, format, 400, georeportRejection(bad))
    const answer = (seq: number) =>
      reply(c, format, [{ update_id: String(seq) }], {
        root: 'service_request_updates',
        item: 'request_update',
      })
    if (result.ignored > 0) {
      const delivered = p.update_id && (await deliveredUpdate(deps.sql, id.source, id.ref, p.update_id))
      if (delivered) return answer(delivered)
      const stored = w3c(current.updatedAt)
      return replyError(
        c,
        format,
        409,
        Date.parse(updatedAt) < Date.parse(current.updatedAt)
          ? `updated_datetime ${w3c(updatedAt)} is older than the request's last update (${stored}): not applied`
          : `updated_datetime ${w3c(updatedAt)} is the same as the request's last update: not applied; send a later updated_datetime`,
      )
    }
    const seq = await seqOfVersion(deps.sql, before, id.source, id.ref, updatedAt)
    await saveUpdate(deps.sql, {
      seq,
      source: id.source,
      ref: id.ref,
      externalId: p.update_id || undefined,
      description: p.description?.trim() || undefined,
      mediaUrl: p.media_url || undefined,
    })
    return answer(seq)
  }
}
