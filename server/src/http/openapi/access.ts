import {
  auditPageSchema,
  auditQuerySchema,
  createdTokenSchema,
  createTokenSchema,
  sessionInfoSchema,
  tokenInfoSchema,
} from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiPathsObject } from 'zod-openapi'
import { sessionCookie } from '../../access/sessions'
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
} from './responses'

const setCookie = z.object({
  'Set-Cookie': z.string().meta({
    description: `${sessionCookie}=<secret>; HttpOnly; SameSite=Lax; Path=/ (Secure over HTTPS)`,
  }),
})
const foreignOrigin = {
  description: 'Sent with a session cookie from a foreign origin (not this server nor ALLOWED_ORIGINS)',
  code: 'foreign_origin',
  field: 'origin',
}
const admins = guarded('admin', { unsafe: true })
const tokenExample = {
  id: 7,
  role: 'feed:phanthiet-1022',
  label: 'hotline system',
  seeded: false,
  createdAt: at,
  lastUsedAt: null,
  revokedAt: null,
}

export const accessPaths: ZodOpenApiPathsObject = {
  '/api/v1/session': {
    post: {
      tags: ['Access'],
      operationId: 'openSession',
      summary: 'Exchange a token for a session cookie (a wall opened with ?token=)',
      description:
        'A display session lasts 400 days, others 12 hours. Feed keys cannot open a screen. Log out with DELETE.',
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: z.object({ token: z.string().min(1) }).meta({ example: { token: '<a display token>' } }),
          },
        },
      },
      responses: {
        '201': json('The session is open; the cookie is set', sessionInfoSchema, undefined, setCookie),
        ...errors({
          '400': {
            description: 'Not JSON (malformed), or no `token` (invalid_body)',
            code: 'malformed',
            field: 'body',
          },
          '401': { description: 'Unknown or revoked token', code: 'unauthorized', field: 'token' },
          '403': {
            description: 'A feed key (field token), or sent with a session cookie from a foreign origin',
            code: 'forbidden',
            field: 'token',
          },
          '415': notJsonType,
          '503': databaseDown,
        }),
      },
    },
    get: {
      tags: ['Access'],
      operationId: 'getSession',
      summary: 'Who the caller is (role, label, by token or session)',
      security: anyCredential,
      responses: {
        '200': json('The caller', sessionInfoSchema),
        ...errors(guarded('display, leader and admin')),
      },
    },
    delete: {
      tags: ['Access'],
      operationId: 'closeSession',
      summary: 'Log out: end the session of the cookie (if any) and clear the cookie',
      security: [],
      responses: {
        '204': { description: 'Logged out (also when there was no session)' },
        ...errors({ '403': foreignOrigin, '503': databaseDown }),
      },
    },
  },
  '/api/v1/login': {
    post: {
      tags: ['Access'],
      operationId: 'login',
      summary: 'Log in with a user name and password (`npm run user`): a session cookie for 12 hours',
      security: [],
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: z
              .object({ name: z.string().min(1).max(100), password: z.string().min(1).max(1000) })
              .meta({ example: { name: 'lan', password: 'correct horse battery' } }),
          },
        },
      },
      responses: {
        '201': json('Logged in; the cookie is set', sessionInfoSchema, undefined, setCookie),
        ...errors({
          '400': {
            description: 'Not JSON (malformed), or no name or password (invalid_body)',
            code: 'malformed',
            field: 'body',
          },
          '401': { description: 'Wrong name or password, or a disabled user', code: 'bad_credentials' },
          '403': foreignOrigin,
          '415': notJsonType,
          '429': {
            description: 'Too many failed logins for this name from this address; see Retry-After',
            code: 'too_many_attempts',
          },
          '503': databaseDown,
        }),
      },
    },
  },
  '/api/v1/tokens': {
    get: {
      tags: ['Access'],
      operationId: 'listTokens',
      summary: 'List tokens (admin), never a secret',
      security: anyCredential,
      responses: {
        '200': json('Every token', z.object({ items: z.array(tokenInfoSchema) }), { items: [tokenExample] }),
        ...errors(guarded('admin')),
      },
    },
    post: {
      tags: ['Access'],
      operationId: 'createToken',
      summary: 'Create a token (admin); its secret is shown once',
      security: anyCredential,
      requestBody: { required: true, content: { 'application/json': { schema: createTokenSchema } } },
      responses: {
        '201': json('Created', createdTokenSchema, {
          id: 8,
          role: 'feed:phanthiet-1022',
          label: 'hotline system',
          secret: 'cd_4pQm…',
        }),
        ...errors({ '400': malformed, '415': notJsonType, '422': invalidField('role'), ...admins }),
      },
    },
  },
  '/api/v1/tokens/{id}': {
    delete: {
      tags: ['Access'],
      operationId: 'revokeToken',
      summary: 'Revoke a token and its sessions (admin)',
      security: anyCredential,
      requestParams: { path: z.object({ id: z.string().meta({ example: '7' }) }) },
      responses: {
        '204': { description: 'Revoked' },
        ...errors({ ...admins, '404': { description: 'No live token with that id', code: 'not_found' } }),
      },
    },
  },
  '/api/v1/audit': {
    get: {
      tags: ['Access'],
      operationId: 'listAudit',
      summary: 'The audit log (admin), newest first; read only by design',
      security: anyCredential,
      requestParams: { query: auditQuerySchema },
      responses: {
        '200': json('One page; pass nextBefore as before for the next', auditPageSchema, {
          items: [
            {
              id: 41,
              at,
              actor: 'lan',
              role: 'leader',
              tokenId: null,
              action: 'login',
              target: 'user:lan',
              detail: {},
              address: '127.0.0.1',
            },
          ],
          nextBefore: null,
        }),
        ...errors({
          '400': {
            description: 'A bad limit or before; `field` names it',
            code: 'invalid_parameter',
            field: 'limit',
          },
          ...guarded('admin'),
        }),
      },
    },
  },
}
