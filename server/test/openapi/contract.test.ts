import { existsSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { upsertUser } from '../../src/access/users'
import { createApp } from '../../src/app'
import { repoRoot } from '../../src/config'
import { fuzzServerEnv } from '../fuzz/target'
import { startTestServer, type TestServer } from '../support/test-server'
import { appRoutes, documentedOperations } from './app-routes'
import { badBearerTokens, feeds, operationsCityAndDocs } from './contract-cases-feeds'
import { alerts, direction, items, kpis } from './contract-cases-reads'
import { briefings, sessionsAndLogin, snapshots, tokensAndAudit } from './contract-cases-reports'
import { ContractClient } from './contract-client'
import type { ContractContext } from './contract-fixtures'
import { DocumentCheck, type OpenApiDoc } from './document-check'

// Issue #18: a real request to every operation of the OpenAPI document, on a real server and
// PostgreSQL, each answer checked against the document (status, content type, body schema);
// and the app's routes and the document's operations are the same set. The cases run in order
// (the feeds fill the database the later ones read) on one client, which counts what they covered.

let server: TestServer
let check: DocumentCheck
let api: ContractClient
let context: ContractContext

beforeAll(async () => {
  // The built client, not the fuzz stand-in: snapshots and briefings are printed from its pages.
  const { CLIENT_DIST: _, ...env } = fuzzServerEnv()
  if (!existsSync(path.join(repoRoot, 'client/dist/index.html'))) {
    throw new Error(
      'the contract test prints snapshots from the built client: run node scripts/client-build.mjs',
    )
  }
  server = await startTestServer({ ...env, BRIEFING_SCHEDULE: '' })
  await upsertUser(server.deps.sql, { name: 'lan', role: 'leader', password: 'đúng-mật-khẩu' })
  const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as OpenApiDoc
  check = new DocumentCheck(doc)
  check.compileAll()
  api = new ContractClient(server.url, check)
  context = { api, server }
  // The compiling above held the event loop: let the database watch probe again before the cases.
  for (let waited = 0; !server.deps.database.isUp && waited < 20_000; waited += 100) {
    await new Promise((r) => setTimeout(r, 100))
  }
}, 120_000)
afterAll(() => server?.stop())

describe('the OpenAPI document and the app', () => {
  it('document exactly the same routes (Open311 and the client files aside)', () => {
    const documented = new Set(documentedOperations(check.doc))
    const routes = appRoutes(createApp(server.deps))
    for (const { route, operations } of routes) {
      for (const op of operations) {
        expect(
          documented.has(op),
          `the app has a route the OpenAPI document lacks: ${route} (as ${op}); describe it in server/src/http/openapi/`,
        ).toBe(true)
      }
    }
    const served = new Set(routes.flatMap((r) => r.operations))
    for (const op of documented) {
      expect(served.has(op), `the OpenAPI document has ${op}, which the app does not serve`).toBe(true)
    }
  })

  it('gives every operation an operationId, once, and examples that fit their schemas', () => {
    expect(check.operations.size).toBe(documentedOperations(check.doc).length)
    expect(check.exampleProblems()).toEqual([])
  })
})

describe('every operation, answered as documented', () => {
  it('operations, city and docs', () => operationsCityAndDocs(context))
  it('feeds', () => feeds(context))
  it('bad bearer tokens from one address: 401, then 429', () => badBearerTokens(context))
  it('items', () => items(context))
  it('KPIs', () => kpis(context))
  it('direction', () => direction(context))
  it('alerts', () => alerts(context))
})

describe('every operation, answered as documented (reports and access)', () => {
  it('snapshots, as data and printed', () => snapshots(context), 120_000)
  it('briefings, made on request', () => briefings(context), 120_000)
  it('sessions and login', () => sessionsAndLogin(context), 90_000)
  it('tokens and the audit log', () => tokensAndAudit(context))
  it('covered every operation with a success and at least one error where it has one', () => {
    const missing: string[] = []
    for (const [operationId, { operation }] of check.operations) {
      const seen = [...(api.covered.get(operationId) ?? [])]
      if (!seen.some((s) => s < 300)) missing.push(`no successful request to ${operationId}`)
      const documentsError = Object.keys(operation.responses).some((s) => s.startsWith('4'))
      if (documentsError && !seen.some((s) => s >= 400)) missing.push(`no error answer from ${operationId}`)
    }
    expect(missing).toEqual([])
  })
})
