import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoRoot } from '../../src/config'
import { ingest, ticket } from '../live/support'
import { startTestServer, type TestServer, testTokens } from '../support/test-server'

// promtool comes with Debian's `prometheus` package (.ci/run installs it).
const promtool = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p))
if (!promtool && process.env.CI === 'true') throw new Error('promtool missing: apt-get install prometheus')
const infra = path.join(repoRoot, 'infra')

let server: TestServer
let exposition = ''
beforeAll(async () => {
  server = await startTestServer()
  await ingest(server.url, [ticket('prom-1'), { ...ticket('prom-2'), category: 'nope' }])
  const res = await fetch(`${server.url}/metrics`, {
    headers: { authorization: `Bearer ${testTokens.admin}` },
  })
  exposition = await res.text()
})
afterAll(() => server?.stop())

/** Metric families the server exposes (`# TYPE name kind`), with a histogram's series names. */
const exposed = () => {
  const names = new Set<string>()
  for (const [, name, kind] of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    names.add(name!)
    if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${name}${s}`)
  }
  return names
}
/** Metric names a PromQL expression reads (identifiers followed by `{`, `[` or a space/paren). */
const readBy = (expr: string) =>
  [...expr.matchAll(/\b(citydeck_[a-z0-9_]+)\b/g)]
    .map((m) => m[1]!)
    .filter((n, i, all) => all.indexOf(n) === i)

describe('what an operator imports from infra/', () => {
  it.skipIf(!promtool)('the alerting rules pass promtool check and their unit tests', () => {
    const check = spawnSync(
      promtool!,
      ['check', 'rules', path.join(infra, 'prometheus/citydeck-rules.yml')],
      {
        encoding: 'utf8',
      },
    )
    expect(check.stdout + check.stderr).toContain('SUCCESS: 6 rules found')
    expect(check.status).toBe(0)
    const test = spawnSync(promtool!, ['test', 'rules', 'citydeck-rules.test.yml'], {
      cwd: path.join(infra, 'prometheus'),
      encoding: 'utf8',
    })
    expect(test.stdout + test.stderr).toContain('SUCCESS')
    expect(test.status).toBe(0)
  })

  it.skipIf(!promtool)('/metrics parses as Prometheus text and our families follow its naming rules', () => {
    const run = spawnSync(promtool!, ['check', 'metrics'], { input: exposition, encoding: 'utf8' })
    const problems = `${run.stdout}${run.stderr}`.split('\n').filter((l) => l.trim())
    // prom-client's own Node gauges end in _total (its naming, not ours): the only lint allowed.
    const ours = problems.filter((l) => !/^citydeck_nodejs_active_\w+_total non-counter/.test(l))
    expect(ours).toEqual([])
    expect(exposition).toContain('# TYPE citydeck_ingest_items_total counter')
  })

  it('every metric the rules and the Grafana dashboard read is one the server exposes', () => {
    const names = exposed()
    for (const family of [
      'citydeck_ingest_items_total',
      'citydeck_live_clients',
      'citydeck_live_tail_lag_seconds',
      'citydeck_live_dropped_clients_total',
      'citydeck_kpi_pending_rows',
      'citydeck_alerts_total',
      'citydeck_db_pool_connections',
      'citydeck_database_up',
    ])
      expect(names, family).toContain(family)
    const rules = readFileSync(path.join(infra, 'prometheus/citydeck-rules.yml'), 'utf8')
    const dashboard = JSON.parse(
      readFileSync(path.join(infra, 'grafana/citydeck-dashboard.json'), 'utf8'),
    ) as {
      panels: { title: string; targets: { expr: string }[] }[]
    }
    const exprs = [rules, ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr))]
    const read = exprs.flatMap(readBy)
    expect(read.length).toBeGreaterThan(10)
    for (const name of read) expect(names, `${name} is read by infra/ but not exposed`).toContain(name)
  })
})
