import {
  briefingListSchema,
  briefingRequestSchema,
  briefingStartedSchema,
  createdSnapshotSchema,
  createSnapshotSchema,
  snapshotListSchema,
  snapshotRecordSchema,
} from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi'
import { at } from './examples'
import {
  anyCredential,
  databaseDown,
  errors,
  guarded,
  invalidField,
  json,
  malformed,
  notJsonType,
  optionalCredential,
} from './responses'

const leaders = guarded('leader and admin')
const leadersUnsafe = guarded('leader and admin', { unsafe: true })
const snapshotId = z.object({ id: z.string().meta({ example: 'q3Vw0fJc1xq2Yl8n' }) })
const noSnapshot = { description: 'No snapshot with this id', code: 'not_found' }
const gone = { description: 'The snapshot expired or was revoked', code: 'gone' }
const filtersExample = { preset: 'custom', from: '2026-11-01', to: '2026-11-28' }
const entryExample = {
  id: 'q3Vw0fJc1xq2Yl8n',
  url: '/snapshots/q3Vw0fJc1xq2Yl8n',
  view: 'city',
  filters: filtersExample,
  title: 'Giao ban tuần 48',
  createdAt: at,
  createdBy: 'lan',
  expiresAt: null,
  revokedAt: null,
}

/** `GET /api/v1/snapshots/{id}.pdf|png`: printed by the headless browser once, then cached. */
function render(format: 'pdf' | 'png'): ZodOpenApiOperationObject {
  const type = format === 'pdf' ? 'application/pdf' : 'image/png'
  return {
    tags: ['Snapshots'],
    operationId: format === 'pdf' ? 'getSnapshotPdf' : 'getSnapshotPng',
    summary: `The snapshot as ${format.toUpperCase()}, for anyone holding its link (no personal data)`,
    security: optionalCredential,
    requestParams: { path: snapshotId },
    responses: {
      '200': {
        description: `The ${format.toUpperCase()}`,
        content: { [type]: { schema: z.string().meta({ format: 'binary' }) } },
      },
      ...errors({
        '404': noSnapshot,
        '410': gone,
        '503': {
          description:
            'No Chromium to print it (chromium_missing), the render queue is full (render_busy, see Retry-After), or the database is unavailable',
          code: 'render_busy',
        },
      }),
    },
  }
}

export const reportPaths: ZodOpenApiPathsObject = {
  '/api/v1/snapshots': {
    post: {
      tags: ['Snapshots'],
      operationId: 'createSnapshot',
      summary: 'Freeze a leader view as a shareable link (docs/design.md §1)',
      security: anyCredential,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: createSnapshotSchema,
            example: { view: 'city', filters: filtersExample, title: 'Giao ban tuần 48', expiresInDays: 30 },
          },
        },
      },
      responses: {
        '201': json('Frozen', createdSnapshotSchema),
        ...errors({
          '400': {
            description: 'Not JSON (malformed), or a bad field (invalid_body; `field` names it)',
            code: 'invalid_body',
            field: 'view',
          },
          '415': notJsonType,
          ...leadersUnsafe,
        }),
      },
    },
    get: {
      tags: ['Snapshots'],
      operationId: 'listSnapshots',
      summary: 'The latest 100 snapshots, newest first (leader, admin)',
      security: anyCredential,
      responses: {
        '200': json('Without their frozen data', snapshotListSchema, { items: [entryExample] }),
        ...errors(leaders),
      },
    },
  },
  '/api/v1/snapshots/{id}': {
    get: {
      tags: ['Snapshots'],
      operationId: 'getSnapshot',
      summary: 'The frozen view, for anyone holding its link; personal data only for leader and admin',
      security: optionalCredential,
      requestParams: { path: snapshotId },
      responses: {
        '200': json('The snapshot', snapshotRecordSchema),
        ...errors({ '404': noSnapshot, '410': gone, '503': databaseDown }),
      },
    },
    delete: {
      tags: ['Snapshots'],
      operationId: 'revokeSnapshot',
      summary: 'Revoke a snapshot: its link answers 410 from now on (leader, admin)',
      security: anyCredential,
      requestParams: { path: snapshotId },
      responses: {
        '204': { description: 'Revoked' },
        ...errors({
          ...leadersUnsafe,
          '404': { description: 'No live snapshot with this id', code: 'not_found' },
        }),
      },
    },
  },
  '/api/v1/snapshots/{id}.pdf': { get: render('pdf') },
  '/api/v1/snapshots/{id}.png': { get: render('png') },
  '/api/v1/briefings': {
    get: {
      tags: ['Briefings'],
      operationId: 'listBriefings',
      summary: "The daily briefings so far (leader, admin), newest first, with a running one's step",
      security: anyCredential,
      responses: {
        '200': json('The schedule and the days', briefingListSchema, {
          schedule: '0 7 * * *',
          timeZone: 'Asia/Ho_Chi_Minh',
          items: [
            {
              day: '2026-11-28',
              snapshotId: 'q3Vw0fJc1xq2Yl8n',
              status: 'done',
              error: null,
              startedAt: at,
              finishedAt: at,
              pdfUrl: '/api/v1/briefings/2026-11-28.pdf',
              snapshotUrl: '/snapshots/q3Vw0fJc1xq2Yl8n',
            },
          ],
        }),
        ...errors(leaders),
      },
    },
    post: {
      tags: ['Briefings'],
      operationId: 'makeBriefing',
      summary: "Make a day's briefing now (leader, admin): the same code as BRIEFING_SCHEDULE",
      description:
        'No body, or a JSON object. Claims the day (default: today, city time), answers 202 and makes the snapshot and PDF in the background; GET /api/v1/briefings shows the day as `running` with its `step`, then `done` with `pdfUrl` or `failed` with `error`. A finished or failed day is made again.',
      security: anyCredential,
      requestBody: {
        required: false,
        content: { 'application/json': { schema: briefingRequestSchema, example: { date: '2026-11-28' } } },
      },
      responses: {
        '202': json('Started', briefingStartedSchema, {
          day: '2026-11-28',
          status: 'running',
          statusUrl: '/api/v1/briefings',
        }),
        ...errors({
          '400': { ...malformed, description: 'A body that is not a JSON object' },
          '415': notJsonType,
          '422': { ...invalidField('date'), description: 'A bad date (not YYYY-MM-DD, or after today)' },
          ...leadersUnsafe,
          '409': { description: "That day's briefing is being made now", code: 'conflict', field: 'date' },
          '503': {
            description: 'No Chromium to print the PDF (chromium_missing), or the database is unavailable',
            code: 'chromium_missing',
          },
        }),
      },
    },
  },
  '/api/v1/briefings/{day}.pdf': {
    get: {
      tags: ['Briefings'],
      operationId: 'getBriefingPdf',
      summary: "A day's briefing PDF (leader, admin)",
      security: anyCredential,
      requestParams: {
        path: z.object({
          day: z
            .string()
            .regex(/^\d{4}-\d{2}-\d{2}$/)
            .meta({ example: '2026-11-28' }),
        }),
      },
      responses: {
        '200': {
          description: 'The PDF, as an attachment',
          content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } },
        },
        ...errors({ ...leaders, '404': { description: 'No briefing PDF for that day', code: 'not_found' } }),
      },
    },
  },
}
