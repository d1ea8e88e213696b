import type { City } from './city/profile'
import type { Config } from './config'
import type { DatabaseWatch } from './db/availability'
import type { Sql } from './db/connection'
import type { DomainEvents } from './events'
import type { Metrics } from './observability/metrics'

/** What every module's routes and services are built from; created once in `server.ts`. */
export type AppDeps = {
  config: Config
  /** The main pool: ingest and every other query not listed below. */
  sql: Sql
  /** A pool of its own for health and KPI reads, so writers and uploads can never starve them. */
  readSql: Sql
  /** Opens a one-connection pool for the live tail's reads of the change log (again, to replace it). */
  openTailPool: () => Sql
  databaseKind: 'embedded' | 'external'
  /** Whether the database is reachable now (docs/design.md §11); never waits. */
  database: DatabaseWatch
  city: City
  metrics: Metrics
  events: DomainEvents
  /** Injected so SLA and rollup logic can be tested with fake time. */
  clock: () => Date
}
