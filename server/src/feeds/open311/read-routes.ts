import { maskContacts } from '@citydeck/shared/redact'
import { Hono } from 'hono'
import type { AppDeps } from '../../context'
import { ticketFromRow } from '../../items/wire'
import { discovery, discoveryXml } from './discovery'
import { fmsStatus, parseRequestId, requestId, serviceRequest, services, w3c } from './mapping'
import { findRequests, findTicket, findTokenTicket, ticketUpdates } from './open311.sql'
import { list, open311Params, pageParams, w3cParam } from './params'
import { type Format, reply, replyError, splitFormat } from './respond'

const maxResults = 1000
const defaultDays = 90

/**
 * GeoReport v2 reads, public as in most Open311 servers (no personal data is in them):
 * services, one service's definition, requests (filtered), one request, a token's request,
 * and FixMyStreet's servicerequestupdates.
 */
export function open311ReadRoutes(deps: AppDeps) {
  const { profile } = deps.city
  return new Hono()
    .get('/services/:file', (c) => {
      const file = splitFormat(c.req.param('file'))
      if (!file) return replyError(c, 'json', 404, 'use services/{service_code}.json or .xml')
      const service = services(profile).find((s) => s.service_code === file.name)
      if (!service) return replyError(c, file.format, 404, `service_code ${file.name} not found`)
      return reply(
        c,
        file.format,
        { service_code: service.service_code, attributes: [] },
        {
          root: 'service_definition',
          names: { attributes: 'attribute' },
        },
      )
    })
    .get('/requests/:file', async (c) => {
      const file = splitFormat(c.req.param('file'))
      if (!file) return replyError(c, 'json', 404, 'use requests/{service_request_id}.json or .xml')
      const id = parseRequestId(file.name)
      const row = id && (await findTicket(deps.sql, id.source, id.ref))
      if (!row) return replyError(c, file.format, 404, `service_request_id ${file.name} not found`)
      return reply(c, file.format, [serviceRequest(ticketFromRow(row), profile)], requestsXml)
    })
    .get('/tokens/:file', async (c) => {
      const file = splitFormat(c.req.param('file'))
      if (!file) return replyError(c, 'json', 404, 'use tokens/{token}.json or .xml')
      const ticket = await findTokenTicket(deps.sql, file.name)
      if (!ticket) return replyError(c, file.format, 404, `token ${file.name} not found`)
      const body = [{ service_request_id: requestId(ticket), token: file.name }]
      return reply(c, file.format, body, requestsXml)
    })
    .get('/:file', async (c) => {
      const file = splitFormat(c.req.param('file'))
      if (!file) return replyError(c, 'json', 404, 'not an Open311 resource: add .json or .xml')
      if (file.name === 'discovery') return reply(c, file.format, discovery(c, deps), discoveryXml)
      if (file.name === 'services') {
        return reply(c, file.format, services(profile), { root: 'services', item: 'service' })
      }
      if (file.name === 'requests') return getRequests(c, file.format)
      if (file.name === 'servicerequestupdates') return getUpdates(c, file.format)
      return replyError(c, file.format, 404, `no Open311 resource ${file.name}`)
    })

  async function window(c: Parameters<typeof reply>[0], format: Format) {
    const params = await open311Params(c)
    const start = w3cParam(params, 'start_date', profile.timeZone)
    const end = w3cParam(params, 'end_date', profile.timeZone)
    if (start instanceof Error) return { error: replyError(c, format, 400, start.message) }
    if (end instanceof Error) return { error: replyError(c, format, 400, end.message) }
    const to = end ?? deps.clock()
    const from = start ?? new Date(to.getTime() - defaultDays * 86_400_000)
    if (from > to) return { error: replyError(c, format, 400, 'start_date is after end_date') }
    return { params, from, to }
  }

  async function getRequests(c: Parameters<typeof reply>[0], format: Format) {
    const w = await window(c, format)
    if ('error' in w) return w.error
    const { params } = w
    const status = list(params.status)?.map((s) => s.toLowerCase())
    if (status && !status.every((s) => s === 'open' || s === 'closed')) {
      return replyError(c, format, 400, 'status must be open or closed')
    }
    const codes = list(params.service_code)
    const unknown = codes?.find((code) => !profile.categories.some((cat) => cat.code === code))
    if (unknown) return replyError(c, format, 400, `service_code ${unknown} not found`)
    const ids = list(params.service_request_id)?.map(parseRequestId)
    if (ids && !ids.every((id) => id !== null)) {
      return replyError(c, format, 400, 'service_request_id must be <source>:<ref>')
    }
    const rows = await findRequests(deps.sql, {
      ids,
      serviceCodes: codes,
      status,
      start: w.from,
      end: w.to,
      limit: maxResults,
    })
    return reply(
      c,
      format,
      rows.map((r) => serviceRequest(ticketFromRow(r), profile)),
      requestsXml,
    )
  }

  /**
   * FixMyStreet's servicerequestupdates: every later version of a ticket that citydeck learned in
   * the window (by when it was stored, so a late feed is never missed), oldest first, in pages
   * (`page`, `page_size`; a `Link: rel="next"` header while more remain). The text and photo are
   * the update's own, when it came with one (a POSTed update); nothing is made up.
   */
  async function getUpdates(c: Parameters<typeof reply>[0], format: Format) {
    const w = await window(c, format)
    if ('error' in w) return w.error
    const page = pageParams(w.params, maxResults)
    if (page instanceof Error) return replyError(c, format, 400, page.message)
    const rows = await ticketUpdates(deps.sql, w.from, w.to, page.size + 1, (page.page - 1) * page.size)
    if (rows.length > page.size) {
      const next = new URL(c.req.url)
      next.searchParams.set('page', String(page.page + 1))
      next.searchParams.set('page_size', String(page.size))
      c.header('link', `<${next.pathname}${next.search}>; rel="next"`)
    }
    const updates = rows.slice(0, page.size).map((r) => ({
      update_id: String(r.seq),
      service_request_id: requestId(r),
      status: fmsStatus[r.item.status],
      updated_datetime: w3c(r.item.updatedAt),
      description: typeof r.description === 'string' ? maskContacts(r.description) : '',
      media_url: r.media_url ?? null,
    }))
    return reply(c, format, updates, { root: 'service_requests_updates', item: 'request_update' })
  }
}

export const requestsXml = { root: 'service_requests', item: 'request' }
