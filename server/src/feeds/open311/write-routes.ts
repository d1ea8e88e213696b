import { createHash, randomUUID } from 'node:crypto'
import type { Ticket } from '@citydeck/shared'
import { type Context, Hono } from 'hono'
import { resolveToken, type TokenRecord } from '../../access/tokens'
import type { AppDeps } from '../../context'
import { ticketFromRow } from '../../items/wire'
import { ingestItems } from '../ingest'
import { ingestRateLimit, tokenBucket } from '../rate-limit'
import { georeportRejection, parseRequestId, requestId, ticketStatusFromFms } from './mapping'
import { findTicket } from './open311.sql'
import { open311Params, w3cParam } from './params'
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
    const lat = Number(p.lat)
    const lng = Number(p.long)
    if (!p.lat || !p.long || Number.isNaN(lat) || Number.isNaN(lng)) {
      return replyError(
        c,
        format,
        400,
        'lat and long are required (this server locates requests by coordinates)',
      )
    }
    const now = deps.clock().toISOString()
    const description = p.description?.trim()
    const name = [p.first_name, p.last_name].filter(Boolean).join(' ')
    const reporter = { name: name || undefined, email: p.email || undefined, phone: p.phone || undefined }
    const ticket = {
      source,
      ref: randomUUID(),
      updatedAt: now,
      receivedAt: now,
      category: category.code,
      title: description ? description.split('\n')[0]!.slice(0, 120) : category.name,
      description: description || undefined,
      location: { lat, lng },
      address: p.address_string || undefined,
      status: 'received',
      channel: 'open311',
      reporter: name || p.email || p.phone ? reporter : undefined,
      media: p.media_url ? [p.media_url] : undefined,
    }
    const result = await ingestItems(deps, 'tickets', [ticket], { source })
    const bad = result.rejected[0]
    if (bad) return replyError(c, format, 400, georeportRejection(bad))
    const notice = `Xử lý trong ${category.slaHours} giờ / to be resolved within ${category.slaHours} hours`
    const body = [{ service_request_id: requestId(ticket), service_notice: notice, account_id: null }]
    return reply(c, format, body, requestsXml)
  }

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
    const at = w3cParam(p, 'updated_datetime')
    if (at instanceof Error) return replyError(c, format, 400, at.message)
    const row = await findTicket(deps.sql, id.source, id.ref)
    if (!row) return replyError(c, format, 404, `service_request_id ${p.service_request_id} not found`)
    const current = ticketFromRow(row)
    const status = ticketStatusFromFms(p.status) ?? current.status
    const updatedAt = (at ?? deps.clock()).toISOString()
    const next: Ticket = { ...current, status, updatedAt }
    if (status === 'resolved') next.resolvedAt ??= updatedAt
    if (status === 'closed') next.closedAt ??= updatedAt
    if (status === 'received' || status === 'assigned' || status === 'in_progress') {
      delete next.resolvedAt
      delete next.closedAt
    }
    const result = await ingestItems(deps, 'tickets', [next], { source: id.source })
    const bad = result.rejected[0]
    if (bad) return replyError(c, format, 400, georeportRejection(bad))
    const updateId =
      result.lastSeq !== null ? String(result.lastSeq) : (p.update_id ?? `${requestId(id)}@${updatedAt}`)
    return reply(c, format, [{ update_id: updateId }], {
      root: 'service_request_updates',
      item: 'request_update',
    })
  }
}
