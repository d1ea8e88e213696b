import { execFile } from 'node:child_process'
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../src/config'
import { startTestServer, type TestServer } from '../support/test-server'

// Issue #18: Redocly's recommended rules (redocly.yaml) on the document the server serves, with
// the CLI installed as a dev dependency: 0 errors, 0 warnings, nothing fetched at run time.

const run = promisify(execFile)
let server: TestServer
let dir: string
beforeAll(async () => {
  server = await startTestServer()
  dir = await mkdtemp(path.join(tmpdir(), 'citydeck-openapi-lint-'))
})
afterAll(async () => {
  await server?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

/**
 * Operations that answer every request they get: nothing a client sends makes them refuse it,
 * so they document no 4xx, which the rule operation-4xx-response asks of every operation. They
 * are listed here, each by name, so a new operation without a 4xx still fails the lint.
 */
const answerEveryRequest = [
  'getHealth',
  'getCity',
  'getOpenApiDocument',
  'getApiReference',
  'getApiReferenceScript',
  'getApiReferenceStart',
]

type Problem = { ruleId: string; severity: string; message: string; location: Array<{ pointer: string }> }

describe('redocly lint (recommended rules)', () => {
  it('finds no error and no warning in the served document', async () => {
    const doc = await (await fetch(`${server.url}/api/v1/openapi.json`)).json()
    const file = path.join(dir, 'openapi.json')
    await writeFile(file, JSON.stringify(doc, null, 2))
    const ignored: string[] = []
    for (const [p, item] of Object.entries(
      doc.paths as Record<string, Record<string, { operationId: string }>>,
    )) {
      for (const [method, op] of Object.entries(item)) {
        if (answerEveryRequest.includes(op.operationId)) {
          ignored.push(`    - '#/paths/${p.replaceAll('~', '~0').replaceAll('/', '~1')}/${method}/responses'`)
        }
      }
    }
    expect(ignored).toHaveLength(answerEveryRequest.length)
    await writeFile(
      path.join(dir, '.redocly.lint-ignore.yaml'),
      `openapi.json:\n  operation-4xx-response:\n${ignored.join('\n')}\n`,
    )
    const cli = path.join(repoRoot, 'node_modules/@redocly/cli/bin/cli.js')
    // The repository's rules, beside the document and its ignore file (where Redocly looks for both).
    await copyFile(path.join(repoRoot, 'redocly.yaml'), path.join(dir, 'redocly.yaml'))
    const result = await run(process.execPath, [cli, 'lint', 'openapi.json', '--format=json'], {
      cwd: dir,
      // No telemetry and no update check: the lint sends nothing anywhere.
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', CI: 'true' },
      maxBuffer: 20 * 1024 * 1024,
    }).catch((error: { stdout: string; stderr: string }) => error)
    const report = JSON.parse(result.stdout) as {
      totals: { errors: number; warnings: number; ignored: number }
      problems: Problem[]
    }
    const problems = report.problems.map(
      (p) => `${p.severity} ${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`,
    )
    expect(problems).toEqual([])
    expect(report.totals).toEqual({ errors: 0, warnings: 0, ignored: answerEveryRequest.length })
  }, 60_000)
})
