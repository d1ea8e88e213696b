-- The KPI engine's tables (docs/design.md §3; docs/kpi-engine.md). Rollups are kept exact whichever code
-- path writes the feed tables: triggers (triggers.sql) append pending rows, the fold (fold.sql)
-- moves them into the rollups, readers (kpi/rollup.sql.ts) add what is still pending.
--
-- Every KPI is a difference of prefix sums: C(to) - C(from), where C(t) sums the events
-- that happened strictly before t. Each feed row is expanded into timed events (+1 received
-- at received_at, -1 "no longer open" at its closing time, ...), see events.sql. A
-- prefix (-inf, t) is read as: whole UTC years before t, whole months of t's year, whole
-- days of t's month, whole hours of t's day, then the raw rows for [hour(t), t). So a query
-- reads at most ~70 buckets per side, whatever the window length or the history size.
--
-- Buckets are UTC-aligned (date_trunc(..., 'UTC')): no time zone inside the database. Local
-- days of a whole-hour-offset zone (Asia/Ho_Chi_Minh) are whole UTC hours, so they read no
-- raw rows; other zones stay exact through the raw edge.
--
-- `scope` pre-aggregates the dimensions so city-wide, per-ward and per-unit reads touch one row
-- per bucket (and unit): 0 = per (ward, unit, category), 1 = per ward (unit, category null), 2 =
-- the whole city (all dimensions null), 3 = per unit (ward, category null): `?unit=` and the
-- unit scorecard, which reads every unit at once. Null dimensions of scope 0 are real "not
-- given" values (scope 3's null unit: items without a unit).

-- ---------------------------------------------------------------- tickets
create table kpi_ticket_rollup (
  scope            smallint not null check (scope in (0, 1, 2, 3)),
  grain            text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket           timestamptz not null,
  ward_code        text collate "C",
  unit             text collate "C",
  category         text collate "C",
  received         integer not null default 0,
  resolved         integer not null default 0,
  resolved_on_time integer not null default 0,
  open_delta       integer not null default 0,
  overdue_delta    integer not null default 0,
  constraint kpi_ticket_rollup_key unique nulls not distinct (scope, grain, bucket, ward_code, unit, category)
);
comment on table kpi_ticket_rollup is 'Ticket KPI events summed per UTC bucket and scope (see the file header).';
comment on column kpi_ticket_rollup.scope is '0: per ward+unit+category; 1: per ward; 2: city-wide; 3: per unit';
comment on column kpi_ticket_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_ticket_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_ticket_rollup.received is 'Tickets with received_at in the bucket';
comment on column kpi_ticket_rollup.resolved is 'Tickets with resolved_at in the bucket';
comment on column kpi_ticket_rollup.resolved_on_time is 'Of those, resolved_at <= due_at';
comment on column kpi_ticket_rollup.open_delta is
  '+1 at received_at, -1 at greatest(received_at, closed_effective_at): prefix sum = open at t';
comment on column kpi_ticket_rollup.overdue_delta is
  '+1 at greatest(received_at, due_at), -1 at greatest(received_at, due_at, closed_effective_at): prefix sum = open and overdue at t';

create table kpi_ticket_resolve_hist (
  scope     smallint not null check (scope in (0, 1, 2, 3)),
  grain     text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket    timestamptz not null,
  ward_code text collate "C",
  unit      text collate "C",
  category  text collate "C",
  bin       integer not null,
  n         integer not null default 0,
  constraint kpi_ticket_resolve_hist_key
    unique nulls not distinct (scope, grain, bucket, ward_code, unit, category, bin) include (n)
);
comment on table kpi_ticket_resolve_hist is
  'Histogram of resolved_at - received_at (kpi_resolve_bin) of tickets resolved in the bucket, for the median';
comment on column kpi_ticket_resolve_hist.bin is 'kpi_resolve_bin(resolved_at - received_at)';
comment on column kpi_ticket_resolve_hist.n is 'Tickets resolved in the bucket with that bin';

-- ---------------------------------------------------------------- dossiers
create table kpi_dossier_rollup (
  scope              smallint not null check (scope in (0, 1, 2, 3)),
  grain              text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket             timestamptz not null,
  ward_code          text collate "C",
  unit               text collate "C",
  received           integer not null default 0,
  received_online    integer not null default 0,
  digitized_input    integer not null default 0,
  paid_online        integer not null default 0,
  paid_known         integer not null default 0,
  finished           integer not null default 0,
  finished_on_time   integer not null default 0,
  digitized_result   integer not null default 0,
  processing_seconds numeric not null default 0,
  open_delta         integer not null default 0,
  overdue_delta      integer not null default 0,
  constraint kpi_dossier_rollup_key unique nulls not distinct (scope, grain, bucket, ward_code, unit)
);
comment on table kpi_dossier_rollup is 'Dossier KPI events summed per UTC bucket and scope (see the file header).';
comment on column kpi_dossier_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide; 3: per unit';
comment on column kpi_dossier_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_dossier_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_dossier_rollup.received is 'Dossiers with received_at in the bucket';
comment on column kpi_dossier_rollup.received_online is 'Of those, channel = online';
comment on column kpi_dossier_rollup.digitized_input is 'Of those, digitized_input';
comment on column kpi_dossier_rollup.paid_online is 'Of those, paid_online = true';
comment on column kpi_dossier_rollup.paid_known is 'Of those, paid_online not null';
comment on column kpi_dossier_rollup.finished is 'Dossiers with finished_at in the bucket';
comment on column kpi_dossier_rollup.finished_on_time is 'Of those, finished_at <= due_at';
comment on column kpi_dossier_rollup.digitized_result is 'Of those, digitized_result';
comment on column kpi_dossier_rollup.processing_seconds is
  'Of those, the exact sum of finished_at - received_at in seconds';
comment on column kpi_dossier_rollup.open_delta is
  'Not withdrawn/rejected: +1 at received_at, -1 at greatest(received_at, finished_at)';
comment on column kpi_dossier_rollup.overdue_delta is
  'Not withdrawn/rejected: +1 at greatest(received_at, due_at), -1 at greatest(received_at, due_at, finished_at)';

-- ---------------------------------------------------------------- survey answers
create table kpi_survey_rollup (
  scope     smallint not null check (scope in (0, 1, 2, 3)),
  grain     text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket    timestamptz not null,
  ward_code text collate "C",
  unit      text collate "C",
  responses integer not null default 0,
  satisfied integer not null default 0,
  score_sum integer not null default 0,
  constraint kpi_survey_rollup_key unique nulls not distinct (scope, grain, bucket, ward_code, unit)
);
comment on table kpi_survey_rollup is 'Survey answers summed per UTC bucket of submitted_at and scope.';
comment on column kpi_survey_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide; 3: per unit';
comment on column kpi_survey_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_survey_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_survey_rollup.responses is 'Answers submitted in the bucket';
comment on column kpi_survey_rollup.satisfied is 'Of those, score >= 4';
comment on column kpi_survey_rollup.score_sum is 'Sum of their scores';

-- ---------------------------------------------------------------- tasks (docs/design.md §9)
create table kpi_task_rollup (
  scope         smallint not null check (scope in (0, 1, 2, 3)),
  grain         text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket        timestamptz not null,
  ward_code     text collate "C",
  unit          text collate "C",
  issued        integer not null default 0,
  done          integer not null default 0,
  done_on_time  integer not null default 0,
  open_delta    integer not null default 0,
  overdue_delta integer not null default 0,
  constraint kpi_task_rollup_key unique nulls not distinct (scope, grain, bucket, ward_code, unit)
);
comment on table kpi_task_rollup is 'Task KPI events summed per UTC bucket and scope (see the file header).';
comment on column kpi_task_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide; 3: per unit';
comment on column kpi_task_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_task_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_task_rollup.issued is 'Tasks with issued_at in the bucket';
comment on column kpi_task_rollup.done is 'Tasks with done_at in the bucket';
comment on column kpi_task_rollup.done_on_time is 'Of those, done_at <= due_at';
comment on column kpi_task_rollup.open_delta is
  'Not cancelled: +1 at issued_at, -1 at greatest(issued_at, done_at)';
comment on column kpi_task_rollup.overdue_delta is
  'Not cancelled: +1 at greatest(issued_at, due_at), -1 at greatest(issued_at, due_at, done_at)';

-- ---------------------------------------------------------------- pending rows
-- One signed row per changed feed row (triggers.sql), not one per event: appending ~50,000
-- event rows for 10,000 new tickets cost about as much as the insert itself; 10,000 narrow rows
-- cost a tenth of that. The events are expanded where needed: by the fold, in the background,
-- and by readers, who only see the few rows written since the last fold.

create table kpi_ticket_pending (
  n                   integer not null,
  received_at         timestamptz not null,
  due_at              timestamptz not null,
  resolved_at         timestamptz,
  closed_effective_at timestamptz,
  ward_code           text collate "C",
  unit                text collate "C",
  category            text collate "C"
);
comment on table kpi_ticket_pending is
  'Ticket versions whose KPI events are not yet in the rollups (fold.sql): `n` times the events of these columns';
comment on column kpi_ticket_pending.n is '+1 per new version, -1 per replaced or deleted version (summed per statement)';

create table kpi_dossier_pending (
  n                integer not null,
  received_at      timestamptz not null,
  due_at           timestamptz not null,
  finished_at      timestamptz,
  status           text not null,
  channel          text not null,
  digitized_input  boolean,
  digitized_result boolean,
  paid_online      boolean,
  ward_code        text collate "C",
  unit             text collate "C"
);
comment on table kpi_dossier_pending is
  'Dossier versions whose KPI events are not yet in the rollups (fold.sql): `n` times the events of these columns';

create table kpi_survey_pending (
  n            integer not null,
  submitted_at timestamptz not null,
  score        smallint not null,
  ward_code    text collate "C",
  unit         text collate "C"
);
comment on table kpi_survey_pending is
  'Survey answers not yet in the rollups (fold.sql): `n` times this answer';

create table kpi_task_pending (
  n         integer not null,
  issued_at timestamptz not null,
  due_at    timestamptz not null,
  done_at   timestamptz,
  cancelled boolean not null,
  ward_code text collate "C",
  unit      text collate "C"
);
comment on table kpi_task_pending is
  'Task versions whose KPI events are not yet in the rollups (fold.sql): `n` times the events of these columns';
comment on column kpi_task_pending.cancelled is 'status = cancelled: the only status that changes a task''s events';

-- No index: readers and the fold read the whole table, which the fold keeps to about a
-- second of changes. It churns, so vacuum it often.
alter table kpi_ticket_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);
alter table kpi_dossier_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                     autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);
alter table kpi_survey_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);
alter table kpi_task_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                  autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);

-- Never scanned in parallel: a table the fold keeps to a second of changes is planned from the
-- pages its churn left behind (tens of thousands of rows estimated, none there), and starting
-- workers for it cost a unit scorecard ~4 ms per part (docs/kpi-engine.md).
alter table kpi_ticket_pending set (parallel_workers = 0);
alter table kpi_dossier_pending set (parallel_workers = 0);
alter table kpi_survey_pending set (parallel_workers = 0);
alter table kpi_task_pending set (parallel_workers = 0);

-- Indexes for the raw edge [hour(t), t): every event time is one of these columns.
create index tickets_received_at on tickets (received_at);
create index tickets_resolved_at on tickets (resolved_at);
create index tickets_due_at on tickets (due_at);
create index tickets_closed_effective_at on tickets (closed_effective_at);
create index dossiers_received_at on dossiers (received_at);
create index dossiers_finished_at on dossiers (finished_at);
create index dossiers_due_at on dossiers (due_at);
create index survey_answers_submitted_at on survey_answers (submitted_at);
create index tasks_issued_at on tasks (issued_at);
create index tasks_done_at on tasks (done_at);
create index tasks_due_at on tasks (due_at);
