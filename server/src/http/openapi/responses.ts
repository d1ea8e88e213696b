import { apiErrorSchema } from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiResponseObject } from 'zod-openapi'
import { retryAfterSeconds } from '../database'

// The answers many operations share, each with the `error.code` the server really sends, so a
// client can branch on the code and the document cannot promise one the code never answers.

/** A status an operation answers with an error body: what it means here, and its `error.code`. */
export type ErrorAnswer = { description: string; code: string; field?: string }

const retryAfter = z
  .string()
  .meta({ description: 'Seconds to wait before trying again', example: String(retryAfterSeconds) })

const withRetryAfter = new Set(['429', '503'])

/** One error response: the ApiError schema and an example with the code the route sends. */
export function errorResponse(status: string, answer: ErrorAnswer): ZodOpenApiResponseObject {
  const example = {
    error: {
      code: answer.code,
      message: answer.description,
      ...(answer.field ? { field: answer.field } : {}),
    },
  }
  return {
    description: answer.description,
    ...(withRetryAfter.has(status) ? { headers: z.object({ 'Retry-After': retryAfter }) } : {}),
    content: { 'application/json': { schema: apiErrorSchema, example } },
  }
}

/** The error responses of an operation, by status. */
export function errors(answers: Record<string, ErrorAnswer>): Record<string, ZodOpenApiResponseObject> {
  return Object.fromEntries(Object.entries(answers).map(([status, a]) => [status, errorResponse(status, a)]))
}

/** `503 database_unavailable`: while the database is away (docs/design.md §11). */
export const databaseDown: ErrorAnswer = {
  description: 'The database is unavailable; see Retry-After',
  code: 'database_unavailable',
}

/**
 * What every route behind `requireRole` answers before it runs: no credentials (401), a role
 * that may not (403), too many bad bearer tokens from one address (429), no database (503).
 */
export function guarded(roles: string, options: { unsafe?: boolean } = {}): Record<string, ErrorAnswer> {
  return {
    '401': {
      description: 'No valid credentials: send Authorization: Bearer <token> or the session cookie',
      code: 'unauthorized',
    },
    '403': {
      description: options.unsafe
        ? `For ${roles}; or sent with the session cookie from a foreign origin (code foreign_origin, field origin)`
        : `For ${roles}`,
      code: 'forbidden',
    },
    '429': {
      description: 'Too many unknown or revoked bearer tokens from this address; see Retry-After',
      code: 'too_many_attempts',
      field: 'authorization',
    },
    '503': databaseDown,
  }
}

/** `415` of every JSON body route (docs/design.md §5: a `text/plain` body is never parsed). */
export const notJsonType: ErrorAnswer = {
  description: 'Content-Type is not application/json',
  code: 'unsupported_media_type',
  field: 'content-type',
}

/** `400 malformed`: the body is not JSON at all (empty, cut short, not JSON). */
export const malformed: ErrorAnswer = {
  description: 'The body is not JSON',
  code: 'malformed',
  field: 'body',
}

/** `422 invalid`: the body is JSON, but a field is wrong; `field` names it. */
export const invalidField = (field: string): ErrorAnswer => ({
  description: 'A field of the body is missing or wrong; `field` names it',
  code: 'invalid',
  field,
})

/** A JSON answer with its schema and an example. */
export function json(
  description: string,
  schema: z.ZodType,
  example?: unknown,
  headers?: z.ZodObject,
): ZodOpenApiResponseObject {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema, ...(example === undefined ? {} : { example }) } },
  }
}

type SecurityRequirement = Record<string, string[]>
/** Either credential, as `requireRole` takes them. */
export const anyCredential: SecurityRequirement[] = [{ bearer: [] }, { session: [] }]
/** No credential needed; one, when sent, may change what is answered. */
export const optionalCredential: SecurityRequirement[] = [{}, { bearer: [] }, { session: [] }]
