-- Task KPIs (DESIGN §9, tasks.* keys): the tasks' rollup and pending tables (kpi/sql/tables.sql),
-- and the raw-edge indexes. The tasks already stored are queued as pending rows, so the fold
-- (and every reader before it) counts them; the triggers (kpi/sql/triggers.sql) follow.
create table kpi_task_rollup (
  scope         smallint not null check (scope in (0, 1, 2)),
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
comment on column kpi_task_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide';
comment on column kpi_task_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_task_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_task_rollup.issued is 'Tasks with issued_at in the bucket';
comment on column kpi_task_rollup.done is 'Tasks with done_at in the bucket';
comment on column kpi_task_rollup.done_on_time is 'Of those, done_at <= due_at';
comment on column kpi_task_rollup.open_delta is
  'Not cancelled: +1 at issued_at, -1 at greatest(issued_at, done_at)';
comment on column kpi_task_rollup.overdue_delta is
  'Not cancelled: +1 at greatest(issued_at, due_at), -1 at greatest(issued_at, due_at, done_at)';

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
alter table kpi_task_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                  autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);

create index tasks_issued_at on tasks (issued_at);
create index tasks_done_at on tasks (done_at);
create index tasks_due_at on tasks (due_at);

insert into kpi_task_pending
select 1, issued_at, due_at, done_at, status = 'cancelled', ward_code, unit from tasks;
