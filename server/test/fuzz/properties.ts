import { csvImport } from './property-csv'
import { ingest } from './property-ingest'
import { open311Writes } from './property-open311'
import { anyRoute, queries, writes } from './property-routes'
import type { FuzzProperty } from './run'

/**
 * The fuzz properties of issue #15, shared by `server/test/fuzz/fuzz.test.ts` (bounded, in
 * `npm test`) and `server/bench/fuzz.ts` (many more runs). Over every route, body kind and
 * query parameter, with every role's token: no 5xx; every 400/422 names the field or
 * parameter; nothing stored from a rejected item, and the good items of a batch stored.
 */
export const properties: FuzzProperty[] = [anyRoute, queries, writes, ingest, open311Writes, csvImport]
