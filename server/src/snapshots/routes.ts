import { createSnapshotSchema, type SnapshotList } from '@citydeck/shared'
import { type Context, Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { audit } from '../access/audit'
import { type AccessEnv, requireRole } from '../access/middleware'
import { bearerFrom, canSeePersonalData, resolvePrincipal } from '../access/principal'
import { sessionCookie } from '../access/sessions'
import type { AppDeps } from '../context'
import { requestAddress } from '../http/client-address'
import { apiError } from '../http/errors'
import { parsedJson, requireJson } from '../http/json-body'
import { nodeRequest } from '../http/node-request'
import { findSnapshot, listSnapshots, revokeSnapshot } from './repository.sql'
import {
  ChromiumMissing,
  createSnapshot,
  forgetRenders,
  isLive,
  RenderBusy,
  renderSnapshotFile,
  toRecord,
} from './service'

const contentTypes = { pdf: 'application/pdf', png: 'image/png' } as const

/**
 * `/api/v1/snapshots` (docs/design.md §1). Creating, listing and revoking is for leaders; reading one is
 * for anyone holding its unguessable link, without personal data unless a leader opens it.
 */
export function snapshotRoutes(deps: AppDeps) {
  const leaders = requireRole(deps, 'leader', 'admin')
  return new Hono<AccessEnv>()
    .post('/', leaders, requireJson(), async (c) => {
      const json = await parsedJson(c)
      if (!json.ok) return json.response
      const parsed = createSnapshotSchema.safeParse(json.raw)
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!
        const field = issue.path.join('.') || 'body'
        return apiError(c, 400, 'invalid_body', `${field}: ${issue.message}`, field)
      }
      const principal = c.get('principal')
      const created = await createSnapshot(deps, principal, parsed.data, principal.label)
      await audit(deps.sql, {
        principal,
        action: 'snapshot.create',
        target: `snapshot:${created.id}`,
        detail: { view: parsed.data.view, title: parsed.data.title ?? null },
        address: requestAddress(c, deps.config),
        at: deps.clock(),
      })
      return c.json(created, 201)
    })
    .get('/', leaders, async (c) => {
      const rows = await listSnapshots(deps.sql)
      const body: SnapshotList = {
        items: rows.map((r) => ({
          ...r,
          url: `/snapshots/${r.id}`,
          createdAt: r.createdAt.toISOString(),
          expiresAt: r.expiresAt?.toISOString() ?? null,
          revokedAt: r.revokedAt?.toISOString() ?? null,
        })),
      }
      return c.json(body)
    })
    .delete('/:id', leaders, async (c) => {
      const id = c.req.param('id')
      if (!(await revokeSnapshot(deps.sql, id)))
        return apiError(c, 404, 'not_found', 'no live snapshot with this id')
      forgetRenders(deps, id)
      await audit(deps.sql, {
        principal: c.get('principal'),
        action: 'snapshot.revoke',
        target: `snapshot:${id}`,
        address: requestAddress(c, deps.config),
        at: deps.clock(),
      })
      return c.body(null, 204)
    })
    .get('/:file', async (c) => {
      const [id, suffix] = c.req.param('file').split('.') as [string, string | undefined]
      if (suffix && suffix !== 'pdf' && suffix !== 'png') {
        return apiError(c, 404, 'not_found', 'a snapshot renders as .pdf or .png')
      }
      const format = suffix as 'pdf' | 'png' | undefined
      const row = await findSnapshot(deps.sql, id)
      if (!row) return apiError(c, 404, 'not_found', 'Không có bản chụp này / no snapshot with this id')
      if (!isLive(row, deps.clock())) {
        return apiError(
          c,
          410,
          'gone',
          'Bản chụp đã hết hạn hoặc bị thu hồi / this snapshot expired or was revoked',
        )
      }
      if (!format) {
        const principal = await resolvePrincipal(deps.sql, {
          bearer: bearerFrom(c.req.header('authorization')),
          cookie: getCookie(c, sessionCookie),
        })
        c.header('Cache-Control', 'private, no-store')
        return c.json(toRecord(row, canSeePersonalData(principal)))
      }
      try {
        const file = await renderSnapshotFile(deps, row, selfUrl(c), format, { bounded: true })
        c.header('Content-Type', contentTypes[format])
        c.header('Content-Disposition', `inline; filename="citydeck-${row.id}.${format}"`)
        return c.body(new Uint8Array(file))
      } catch (error) {
        if (error instanceof ChromiumMissing) return apiError(c, 503, 'chromium_missing', error.message)
        if (error instanceof RenderBusy) {
          c.header('Retry-After', String(error.retryAfterSeconds))
          return apiError(c, 503, 'render_busy', error.message)
        }
        throw error
      }
    })
}

/** This server's own address, reached from this machine (the headless browser runs here). */
export function selfUrl(c: Context): string {
  const socket = nodeRequest(c)?.socket
  if (!socket?.localPort) return new URL(c.req.url).origin
  const host = socket.localAddress ?? '127.0.0.1'
  return `http://${host.includes(':') ? `[${host.replace(/^::ffff:/, '')}]` : host}:${socket.localPort}`.replace(
    /\[(\d+\.\d+\.\d+\.\d+)\]/,
    '$1',
  )
}
