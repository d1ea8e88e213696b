-- Task KPIs (docs/design.md §9, tasks.* keys): the tasks' rollup and pending tables (kpi/sql/tables.sql),
-- and the raw-edge indexes. The tasks already stored are queued as pending rows, so the fold
-- (and every reader before it) counts them; the triggers (kpi/sql/triggers.sql) follow.
-- And rollup scope 3 (per unit) for the unit scorecard (docs/design.md §10), summed from scope 0.
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

-- Scope 3: per unit (ward and category null), for ?unit= and the scorecard's all-units read.
-- The folded events are in scope 0; pending ones reach scope 3 when they are folded.
alter table kpi_ticket_rollup drop constraint kpi_ticket_rollup_scope_check,
  add constraint kpi_ticket_rollup_scope_check check (scope in (0, 1, 2, 3));
alter table kpi_ticket_resolve_hist drop constraint kpi_ticket_resolve_hist_scope_check,
  add constraint kpi_ticket_resolve_hist_scope_check check (scope in (0, 1, 2, 3));
alter table kpi_dossier_rollup drop constraint kpi_dossier_rollup_scope_check,
  add constraint kpi_dossier_rollup_scope_check check (scope in (0, 1, 2, 3));
alter table kpi_survey_rollup drop constraint kpi_survey_rollup_scope_check,
  add constraint kpi_survey_rollup_scope_check check (scope in (0, 1, 2, 3));
comment on column kpi_ticket_rollup.scope is '0: per ward+unit+category; 1: per ward; 2: city-wide; 3: per unit';
comment on column kpi_dossier_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide; 3: per unit';
comment on column kpi_survey_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide; 3: per unit';

insert into kpi_ticket_rollup (scope, grain, bucket, ward_code, unit, category, received, resolved,
                               resolved_on_time, open_delta, overdue_delta)
select 3, grain, bucket, null, unit, null, sum(received), sum(resolved), sum(resolved_on_time),
       sum(open_delta), sum(overdue_delta)
from kpi_ticket_rollup where scope = 0
group by grain, bucket, unit;
insert into kpi_ticket_resolve_hist (scope, grain, bucket, ward_code, unit, category, bin, n)
select 3, grain, bucket, null, unit, null, bin, sum(n)
from kpi_ticket_resolve_hist where scope = 0
group by grain, bucket, unit, bin;
insert into kpi_dossier_rollup (scope, grain, bucket, ward_code, unit, received, received_online,
  digitized_input, paid_online, paid_known, finished, finished_on_time, digitized_result,
  processing_seconds, open_delta, overdue_delta)
select 3, grain, bucket, null, unit, sum(received), sum(received_online), sum(digitized_input),
       sum(paid_online), sum(paid_known), sum(finished), sum(finished_on_time), sum(digitized_result),
       sum(processing_seconds), sum(open_delta), sum(overdue_delta)
from kpi_dossier_rollup where scope = 0
group by grain, bucket, unit;
insert into kpi_survey_rollup (scope, grain, bucket, ward_code, unit, responses, satisfied, score_sum)
select 3, grain, bucket, null, unit, sum(responses), sum(satisfied), sum(score_sum)
from kpi_survey_rollup where scope = 0
group by grain, bucket, unit;
