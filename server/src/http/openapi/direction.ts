import {
  alertAckSchema,
  alertKindSchema,
  alertSchema,
  directiveSchema,
  taskDetailSchema,
  taskIdSchema,
  taskListQuerySchema,
  taskPageSchema,
  taskReportSchema,
} from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiPathsObject } from 'zod-openapi'
import { at, feedExamples } from './examples'
import { anyCredential, errors, guarded, invalidField, json, malformed, notJsonType } from './responses'

const taskParams = z.object({
  source: z.string().meta({ example: 'citydeck' }),
  ref: z.string().meta({ example: 'CD-20261128-0001' }),
})
const taskExample = { ...feedExamples.tasks, wardCode: '22930' }
const taskDetailExample = {
  item: taskExample,
  history: [
    {
      seq: 900,
      changedAt: at,
      op: 'created',
      updatedAt: at,
      status: 'assigned',
      progress: null,
      report: null,
      unit: 'ubnd-22930',
      dueAt: '2026-11-28T16:00:00+07:00',
    },
  ],
}
const leaders = guarded('leader and admin', { unsafe: true })
const taskReaders = 'leader, admin and unit accounts (a unit: its own tasks)'
const jsonBodyErrors = (field: string) => ({
  '400': malformed,
  '415': notJsonType,
  '422': invalidField(field),
})

export const directionPaths: ZodOpenApiPathsObject = {
  '/api/v1/directives': {
    post: {
      tags: ['Direction'],
      operationId: 'issueDirective',
      summary: "Direct a unit (leader, admin): a new task, due in the profile's directive hours by default",
      security: anyCredential,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: directiveSchema,
            example: {
              unit: 'ubnd-22930',
              instruction: 'Thu gom rác trước chợ trong hôm nay',
              priority: 'urgent',
            },
          },
        },
      },
      responses: {
        '201': json('The task made', taskIdSchema, { source: 'citydeck', ref: 'CD-20261128-0001' }),
        ...errors({ ...jsonBodyErrors('unit'), ...leaders }),
      },
    },
  },
  '/api/v1/tasks': {
    get: {
      tags: ['Direction'],
      operationId: 'listTasks',
      summary: 'Tasks, soonest deadline first by default',
      security: anyCredential,
      requestParams: { query: taskListQuerySchema },
      responses: {
        '200': json('The tasks', taskPageSchema, { items: [taskExample], nextCursor: null }),
        ...errors({
          '400': {
            description: 'A bad query parameter (an unknown ward); `field` names it',
            code: 'invalid_query',
            field: 'ward',
          },
          ...guarded(taskReaders),
        }),
      },
    },
  },
  '/api/v1/tasks/{source}/{ref}': {
    get: {
      tags: ['Direction'],
      operationId: 'getTask',
      summary: 'One task with every version of it',
      security: anyCredential,
      requestParams: { path: taskParams },
      responses: {
        '200': json('The task', taskDetailSchema, taskDetailExample),
        ...errors({
          ...guarded(taskReaders),
          '404': { description: 'No task with that source and ref', code: 'not_found' },
        }),
      },
    },
  },
  '/api/v1/tasks/{source}/{ref}/reports': {
    post: {
      tags: ['Direction'],
      operationId: 'reportOnTask',
      summary: "The task's unit reports progress: a new version of the task",
      security: anyCredential,
      requestParams: { path: taskParams },
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: taskReportSchema,
            example: { status: 'in_progress', progress: 40, note: 'Đã tới hiện trường' },
          },
        },
      },
      responses: {
        '200': json('The task as it now stands', taskDetailSchema, taskDetailExample),
        ...errors({
          ...jsonBodyErrors('progress'),
          ...guarded(taskReaders, { unsafe: true }),
          '404': { description: 'No task with that source and ref', code: 'not_found' },
          '409': {
            description: 'The task is already done or cancelled, or a newer version was stored meanwhile',
            code: 'conflict',
            field: 'status',
          },
        }),
      },
    },
  },
  '/api/v1/alerts/{kind}/{source}/{ref}/ack': {
    post: {
      tags: ['Direction'],
      operationId: 'acknowledgeAlert',
      summary: "Acknowledge an alert (leader, admin), and optionally direct its item's unit in the same step",
      security: anyCredential,
      requestParams: {
        path: z.object({
          kind: alertKindSchema,
          source: z.string().meta({ example: 'phanthiet-1022' }),
          ref: z.string().meta({ example: 'PA-2026-000123' }),
        }),
      },
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: alertAckSchema,
            example: { note: 'Đã giao phường', directive: { instruction: 'Xử lý trong 4 giờ' } },
          },
        },
      },
      responses: {
        '200': json('The alert, acknowledged (and directed)', alertSchema, {
          kind: 'ticket_overdue',
          id: 'phanthiet-1022:PA-2026-000123',
          at,
          wardCode: '22930',
          title: 'Rác tồn đọng trước chợ Phan Thiết',
          dueAt: at,
          acknowledged: { by: 'lan', at },
        }),
        ...errors({
          ...jsonBodyErrors('directive.unit'),
          ...leaders,
          '404': {
            description: 'No such alert kind, or no current alert of it for that item',
            code: 'not_found',
          },
        }),
      },
    },
  },
}
