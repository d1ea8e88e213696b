import { type FeedName, feedNames, feedSchemas, ingestResponseSchema } from '@citydeck/shared'
import { z } from 'zod'
import type { ZodOpenApiPathsObject } from 'zod-openapi'
import { requestLimits } from '../../feeds/batch'
import { feedExamples } from './examples'
import { anyCredential, errors, guarded, json, malformed } from './responses'

const title = (feed: FeedName) => feed[0]!.toUpperCase() + feed.slice(1)

/** `POST /api/v1/feeds/{feed}` (docs/design.md §2), one path per feed so each has its item schema. */
function feedPath(feed: FeedName) {
  const item = feedSchemas[feed].meta({ id: `${feed}-item`, example: feedExamples[feed] })
  const auth = guarded('feed keys (their own source only) and admin', { unsafe: true })
  return {
    post: {
      tags: ['Feeds'],
      operationId: `ingest${title(feed)}`,
      summary: `Ingest ${feed}`,
      description:
        'One object, a JSON array or NDJSON, up to 10,000 items. Upsert by (source, ref): a repeat updates, an older `updatedAt` is ignored. The good items of a batch are stored; bad ones are listed in `rejected`.',
      security: anyCredential,
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: z.union([item, z.array(item).max(requestLimits.maxItems)]),
            example: feedExamples[feed],
          },
          'application/x-ndjson': {
            schema: z.string().meta({ description: 'One JSON object per line' }),
            example: `${JSON.stringify(feedExamples[feed])}\n`,
          },
        },
      },
      responses: {
        '200': json('A batch, or a single object updated or ignored', ingestResponseSchema),
        '201': json('A single object, created', ingestResponseSchema, {
          created: 1,
          updated: 0,
          ignored: 0,
          rejected: [],
          warnings: [],
        }),
        ...errors({
          '400': { ...malformed, description: 'The body is not JSON (or NDJSON), or is cut short' },
          '401': auth['401']!,
          '403': {
            ...auth['403']!,
            description: `${auth['403']!.description}; or an item of another source than the key's (field source; nothing is stored)`,
          },
          '408': {
            description:
              'The body stopped arriving before it ended (nothing is stored; the connection is closed)',
            code: 'timeout',
          },
          '413': {
            description: `More than ${requestLimits.maxItems} items, or a body over ${requestLimits.maxBytes} bytes (nothing is stored)`,
            code: 'too_large',
          },
          '415': {
            description: 'Content-Type is neither application/json nor application/x-ndjson',
            code: 'unsupported_media_type',
          },
          '422': {
            description: 'A single object with an invalid field; `field` names it',
            code: 'invalid',
            field: 'category',
          },
          '429': {
            description:
              'Too many ingest requests with this key (INGEST_RATE_LIMIT a minute, code rate_limited), or too many bad bearer tokens from this address (too_many_attempts); see Retry-After',
            code: 'rate_limited',
          },
          '503': auth['503']!,
        }),
      },
    },
  }
}

export const feedPaths: ZodOpenApiPathsObject = Object.fromEntries(
  feedNames.map((feed) => [`/api/v1/feeds/${feed}`, feedPath(feed)]),
)
