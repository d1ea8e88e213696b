-- KPI rollup maintenance in two steps, so ingest never touches the hot rollup rows.
--
-- 1. The feed triggers (replacing 20261128T0301's bodies) only append each changed row's
--    signed events (kpi_*_events: -1 x the old row's, +1 x the new row's) to kpi_*_pending,
--    one row per event: plain inserts, no conflicts, no shared rows, so concurrent ingest
--    transactions never wait on each other here.
-- 2. kpi_fold_pending() (run about every second by the server, server/src/kpi/fold.ts) moves
--    pending events into the rollups: `delete ... returning` and the upserts in one
--    transaction, under a transaction-level advisory lock so one process folds at a time.
--    A deleted row is folded exactly once: a second folder that got past the lock (a waiting
--    `kpi_fold_pending(wait => true)`) re-reads after the first commits and finds it gone.
--
-- Readers stay exact: every KPI sum statement reads the rollup buckets AND the pending events
-- falling in the same time ranges (server/src/kpi/rollup.sql.ts), in one statement, so one
-- snapshot. A fold commits atomically, so that snapshot sees each event either still pending
-- or already in the rollups, never both and never neither.

create table kpi_ticket_pending (
  at               timestamptz not null,
  ward_code        text collate "C",
  unit             text collate "C",
  category         text collate "C",
  received         integer not null,
  resolved         integer not null,
  resolved_on_time integer not null,
  open_delta       integer not null,
  overdue_delta    integer not null,
  bin              integer
);
comment on table kpi_ticket_pending is
  'Signed ticket KPI events not yet folded into kpi_ticket_rollup / kpi_ticket_resolve_hist (20261128T0700)';
comment on column kpi_ticket_pending.bin is
  'Resolve events: kpi_resolve_bin(resolved_at - received_at), counted `resolved` times in the histogram; else null';

create table kpi_dossier_pending (
  at                 timestamptz not null,
  ward_code          text collate "C",
  unit               text collate "C",
  received           integer not null,
  received_online    integer not null,
  digitized_input    integer not null,
  paid_online        integer not null,
  paid_known         integer not null,
  finished           integer not null,
  finished_on_time   integer not null,
  digitized_result   integer not null,
  processing_seconds numeric not null,
  open_delta         integer not null,
  overdue_delta      integer not null
);
comment on table kpi_dossier_pending is 'Signed dossier KPI events not yet folded into kpi_dossier_rollup';

create table kpi_survey_pending (
  at        timestamptz not null,
  ward_code text collate "C",
  unit      text collate "C",
  responses integer not null,
  satisfied integer not null,
  score_sum integer not null
);
comment on table kpi_survey_pending is 'Signed survey answers not yet folded into kpi_survey_rollup';

-- Readers sum the pending events of a time range; the folder empties the tables every second,
-- so they stay small, but they churn: vacuum them often.
create index kpi_ticket_pending_at on kpi_ticket_pending (at);
create index kpi_dossier_pending_at on kpi_dossier_pending (at);
create index kpi_survey_pending_at on kpi_survey_pending (at);
alter table kpi_ticket_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);
alter table kpi_dossier_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                     autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);
alter table kpi_survey_pending set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
                                    autovacuum_vacuum_insert_scale_factor = 0, autovacuum_vacuum_insert_threshold = 5000);

-- ---------------------------------------------------------------- step 1: triggers append
-- The trigger definitions of 20261128T0301 stay; their functions now append. An update's old
-- and new events are summed per key first: the events a new version shares with the old one
-- (same received time, ward, ...) cancel and are not written at all.

create or replace function kpi_tickets_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into kpi_ticket_pending
    select e.at, n.ward_code, n.unit, n.category, e.received, e.resolved, e.resolved_on_time,
           e.open_delta, e.overdue_delta, e.bin
    from new_rows n
    cross join lateral kpi_ticket_events(n.received_at, n.due_at, n.resolved_at, n.closed_effective_at) e;
  elsif tg_op = 'UPDATE' then
    insert into kpi_ticket_pending
    select at, ward_code, unit, category, sum(received), sum(resolved), sum(resolved_on_time),
           sum(open_delta), sum(overdue_delta), bin
    from (
      select e.at, o.ward_code, o.unit, o.category, -e.received as received, -e.resolved as resolved,
             -e.resolved_on_time as resolved_on_time, -e.open_delta as open_delta,
             -e.overdue_delta as overdue_delta, e.bin
      from old_rows o
      cross join lateral kpi_ticket_events(o.received_at, o.due_at, o.resolved_at, o.closed_effective_at) e
      union all
      select e.at, n.ward_code, n.unit, n.category, e.received, e.resolved, e.resolved_on_time,
             e.open_delta, e.overdue_delta, e.bin
      from new_rows n
      cross join lateral kpi_ticket_events(n.received_at, n.due_at, n.resolved_at, n.closed_effective_at) e
    ) s
    group by at, ward_code, unit, category, bin
    having sum(received) <> 0 or sum(resolved) <> 0 or sum(resolved_on_time) <> 0
        or sum(open_delta) <> 0 or sum(overdue_delta) <> 0;
  elsif tg_op = 'DELETE' then
    insert into kpi_ticket_pending
    select e.at, o.ward_code, o.unit, o.category, -e.received, -e.resolved, -e.resolved_on_time,
           -e.open_delta, -e.overdue_delta, e.bin
    from old_rows o
    cross join lateral kpi_ticket_events(o.received_at, o.due_at, o.resolved_at, o.closed_effective_at) e;
  else
    delete from kpi_ticket_pending;
    delete from kpi_ticket_rollup;
    delete from kpi_ticket_resolve_hist;
  end if;
  return null;
end $$;

create or replace function kpi_dossiers_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into kpi_dossier_pending
    select e.at, n.ward_code, n.unit, e.received, e.received_online, e.digitized_input, e.paid_online,
           e.paid_known, e.finished, e.finished_on_time, e.digitized_result, e.processing_seconds,
           e.open_delta, e.overdue_delta
    from new_rows n
    cross join lateral kpi_dossier_events(n.received_at, n.due_at, n.finished_at, n.status, n.channel,
                                          n.digitized_input, n.digitized_result, n.paid_online) e;
  elsif tg_op = 'UPDATE' then
    insert into kpi_dossier_pending
    select at, ward_code, unit, sum(received), sum(received_online), sum(digitized_input),
           sum(paid_online), sum(paid_known), sum(finished), sum(finished_on_time),
           sum(digitized_result), sum(processing_seconds), sum(open_delta), sum(overdue_delta)
    from (
      select e.at, o.ward_code, o.unit, -e.received as received, -e.received_online as received_online,
             -e.digitized_input as digitized_input, -e.paid_online as paid_online,
             -e.paid_known as paid_known, -e.finished as finished, -e.finished_on_time as finished_on_time,
             -e.digitized_result as digitized_result, -e.processing_seconds as processing_seconds,
             -e.open_delta as open_delta, -e.overdue_delta as overdue_delta
      from old_rows o
      cross join lateral kpi_dossier_events(o.received_at, o.due_at, o.finished_at, o.status, o.channel,
                                            o.digitized_input, o.digitized_result, o.paid_online) e
      union all
      select e.at, n.ward_code, n.unit, e.received, e.received_online, e.digitized_input, e.paid_online,
             e.paid_known, e.finished, e.finished_on_time, e.digitized_result, e.processing_seconds,
             e.open_delta, e.overdue_delta
      from new_rows n
      cross join lateral kpi_dossier_events(n.received_at, n.due_at, n.finished_at, n.status, n.channel,
                                            n.digitized_input, n.digitized_result, n.paid_online) e
    ) s
    group by at, ward_code, unit
    having sum(received) <> 0 or sum(received_online) <> 0 or sum(digitized_input) <> 0
        or sum(paid_online) <> 0 or sum(paid_known) <> 0 or sum(finished) <> 0
        or sum(finished_on_time) <> 0 or sum(digitized_result) <> 0
        or sum(processing_seconds) <> 0 or sum(open_delta) <> 0 or sum(overdue_delta) <> 0;
  elsif tg_op = 'DELETE' then
    insert into kpi_dossier_pending
    select e.at, o.ward_code, o.unit, -e.received, -e.received_online, -e.digitized_input, -e.paid_online,
           -e.paid_known, -e.finished, -e.finished_on_time, -e.digitized_result, -e.processing_seconds,
           -e.open_delta, -e.overdue_delta
    from old_rows o
    cross join lateral kpi_dossier_events(o.received_at, o.due_at, o.finished_at, o.status, o.channel,
                                          o.digitized_input, o.digitized_result, o.paid_online) e;
  else
    delete from kpi_dossier_pending;
    delete from kpi_dossier_rollup;
  end if;
  return null;
end $$;

create or replace function kpi_surveys_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into kpi_survey_pending
    select n.submitted_at, n.ward_code, n.unit, 1, (n.score >= 4)::integer, n.score
    from new_rows n;
  elsif tg_op = 'UPDATE' then
    insert into kpi_survey_pending
    select at, ward_code, unit, sum(responses), sum(satisfied), sum(score_sum)
    from (
      select o.submitted_at as at, o.ward_code, o.unit, -1 as responses,
             -(o.score >= 4)::integer as satisfied, -o.score::integer as score_sum
      from old_rows o
      union all
      select n.submitted_at, n.ward_code, n.unit, 1, (n.score >= 4)::integer, n.score
      from new_rows n
    ) s
    group by at, ward_code, unit
    having sum(responses) <> 0 or sum(satisfied) <> 0 or sum(score_sum) <> 0;
  elsif tg_op = 'DELETE' then
    insert into kpi_survey_pending
    select o.submitted_at, o.ward_code, o.unit, -1, -(o.score >= 4)::integer, -o.score
    from old_rows o;
  else
    delete from kpi_survey_pending;
    delete from kpi_survey_rollup;
  end if;
  return null;
end $$;

-- The per-statement rollup upserts of 20261128T0301 are no longer used.
drop function kpi_ticket_apply(tickets[], tickets[]);
drop function kpi_dossier_apply(dossiers[], dossiers[]);
drop function kpi_survey_apply(survey_answers[], survey_answers[]);

-- ---------------------------------------------------------------- step 2: the fold
-- Moves up to `max_events` pending events of each feed into the rollups, in the caller's
-- transaction (one statement: one transaction). Returns how many pending rows it folded; 0
-- without waiting when another session is folding (unless `wait`). Events are first summed per
-- UTC hour and key, then spread over the 4 grains x 3 scopes like 20261128T0301 did.
create function kpi_fold_pending(max_events integer default 100000, wait boolean default false)
returns integer language plpgsql as $$
declare
  folded integer := 0;
  n integer;
begin
  if wait then
    perform pg_advisory_xact_lock(hashtext('citydeck:kpi-fold'));
  elsif not pg_try_advisory_xact_lock(hashtext('citydeck:kpi-fold')) then
    return 0;
  end if;

  with taken as (
    delete from kpi_ticket_pending p
    where p.ctid = any (array(select ctid from kpi_ticket_pending limit max_events for update skip locked))
    returning p.*
  ), hourly as (
    select date_bin('1 hour', at, 'epoch') as hour, ward_code, unit, category, bin,
           sum(received) as received, sum(resolved) as resolved, sum(resolved_on_time) as resolved_on_time,
           sum(open_delta) as open_delta, sum(overdue_delta) as overdue_delta
    from taken
    group by 1, 2, 3, 4, 5
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, h.hour, 'UTC') as bucket, sc.ward_code, sc.unit,
           sc.category, h.bin, h.received, h.resolved, h.resolved_on_time, h.open_delta, h.overdue_delta
    from hourly h
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, h.ward_code, h.unit, h.category),
                               (1::smallint, h.ward_code, null, null),
                               (2::smallint, null, null, null)) sc(scope, ward_code, unit, category)
  ), counts as (
    insert into kpi_ticket_rollup as r (scope, grain, bucket, ward_code, unit, category, received,
                                        resolved, resolved_on_time, open_delta, overdue_delta)
    select scope, grain, bucket, ward_code, unit, category, sum(received), sum(resolved),
           sum(resolved_on_time), sum(open_delta), sum(overdue_delta)
    from keyed
    group by scope, grain, bucket, ward_code, unit, category
    having sum(received) <> 0 or sum(resolved) <> 0 or sum(resolved_on_time) <> 0
        or sum(open_delta) <> 0 or sum(overdue_delta) <> 0
    order by scope, grain, bucket, ward_code, unit, category
    on conflict (scope, grain, bucket, ward_code, unit, category) do update set
      received = r.received + excluded.received,
      resolved = r.resolved + excluded.resolved,
      resolved_on_time = r.resolved_on_time + excluded.resolved_on_time,
      open_delta = r.open_delta + excluded.open_delta,
      overdue_delta = r.overdue_delta + excluded.overdue_delta
    returning 1
  ), hist as (
    insert into kpi_ticket_resolve_hist as h (scope, grain, bucket, ward_code, unit, category, bin, n)
    select scope, grain, bucket, ward_code, unit, category, bin, sum(resolved)
    from keyed
    where bin is not null
    group by scope, grain, bucket, ward_code, unit, category, bin
    having sum(resolved) <> 0
    order by scope, grain, bucket, ward_code, unit, category, bin
    on conflict (scope, grain, bucket, ward_code, unit, category, bin) do update set n = h.n + excluded.n
    returning 1
  )
  select (select count(*) from taken) into n
  from (select count(*) from counts) c, (select count(*) from hist) x;
  folded := folded + n;

  with taken as (
    delete from kpi_dossier_pending p
    where p.ctid = any (array(select ctid from kpi_dossier_pending limit max_events for update skip locked))
    returning p.*
  ), hourly as (
    select date_bin('1 hour', at, 'epoch') as hour, ward_code, unit, sum(received) as received,
           sum(received_online) as received_online, sum(digitized_input) as digitized_input,
           sum(paid_online) as paid_online, sum(paid_known) as paid_known, sum(finished) as finished,
           sum(finished_on_time) as finished_on_time, sum(digitized_result) as digitized_result,
           sum(processing_seconds) as processing_seconds, sum(open_delta) as open_delta,
           sum(overdue_delta) as overdue_delta
    from taken
    group by 1, 2, 3
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, h.hour, 'UTC') as bucket, sc.ward_code, sc.unit,
           h.received, h.received_online, h.digitized_input, h.paid_online, h.paid_known, h.finished,
           h.finished_on_time, h.digitized_result, h.processing_seconds, h.open_delta, h.overdue_delta
    from hourly h
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, h.ward_code, h.unit),
                               (1::smallint, h.ward_code, null),
                               (2::smallint, null, null)) sc(scope, ward_code, unit)
  ), counts as (
    insert into kpi_dossier_rollup as r (scope, grain, bucket, ward_code, unit, received, received_online,
      digitized_input, paid_online, paid_known, finished, finished_on_time, digitized_result,
      processing_seconds, open_delta, overdue_delta)
    select scope, grain, bucket, ward_code, unit, sum(received), sum(received_online),
           sum(digitized_input), sum(paid_online), sum(paid_known), sum(finished),
           sum(finished_on_time), sum(digitized_result), sum(processing_seconds), sum(open_delta),
           sum(overdue_delta)
    from keyed
    group by scope, grain, bucket, ward_code, unit
    having sum(received) <> 0 or sum(received_online) <> 0 or sum(digitized_input) <> 0
        or sum(paid_online) <> 0 or sum(paid_known) <> 0 or sum(finished) <> 0
        or sum(finished_on_time) <> 0 or sum(digitized_result) <> 0
        or sum(processing_seconds) <> 0 or sum(open_delta) <> 0 or sum(overdue_delta) <> 0
    order by scope, grain, bucket, ward_code, unit
    on conflict (scope, grain, bucket, ward_code, unit) do update set
      received = r.received + excluded.received,
      received_online = r.received_online + excluded.received_online,
      digitized_input = r.digitized_input + excluded.digitized_input,
      paid_online = r.paid_online + excluded.paid_online,
      paid_known = r.paid_known + excluded.paid_known,
      finished = r.finished + excluded.finished,
      finished_on_time = r.finished_on_time + excluded.finished_on_time,
      digitized_result = r.digitized_result + excluded.digitized_result,
      processing_seconds = r.processing_seconds + excluded.processing_seconds,
      open_delta = r.open_delta + excluded.open_delta,
      overdue_delta = r.overdue_delta + excluded.overdue_delta
    returning 1
  )
  select (select count(*) from taken) into n from (select count(*) from counts) c;
  folded := folded + n;

  with taken as (
    delete from kpi_survey_pending p
    where p.ctid = any (array(select ctid from kpi_survey_pending limit max_events for update skip locked))
    returning p.*
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, t.at, 'UTC') as bucket, sc.ward_code, sc.unit,
           t.responses, t.satisfied, t.score_sum
    from taken t
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, t.ward_code, t.unit),
                               (1::smallint, t.ward_code, null),
                               (2::smallint, null, null)) sc(scope, ward_code, unit)
  ), counts as (
    insert into kpi_survey_rollup as r (scope, grain, bucket, ward_code, unit, responses, satisfied, score_sum)
    select scope, grain, bucket, ward_code, unit, sum(responses), sum(satisfied), sum(score_sum)
    from keyed
    group by scope, grain, bucket, ward_code, unit
    having sum(responses) <> 0 or sum(satisfied) <> 0 or sum(score_sum) <> 0
    order by scope, grain, bucket, ward_code, unit
    on conflict (scope, grain, bucket, ward_code, unit) do update set
      responses = r.responses + excluded.responses,
      satisfied = r.satisfied + excluded.satisfied,
      score_sum = r.score_sum + excluded.score_sum
    returning 1
  )
  select (select count(*) from taken) into n from (select count(*) from counts) c;
  return folded + n;
end $$;
comment on function kpi_fold_pending is
  'Folds pending KPI events into the rollups (20261128T0700); returns the pending rows folded, 0 if another session folds';

-- ---------------------------------------------------------------- rebuild
-- kpi_rebuild_rollups() recomputes from the raw rows, which already hold every committed
-- change: so it drops the pending events instead of folding them. Writers wait (share lock on
-- the feed tables) so none commits between the raw read and the truncate, and a fold in
-- progress finishes first (the fold lock).
alter function kpi_rebuild_rollups() rename to kpi_rebuild_rollups_from_raw;
create function kpi_rebuild_rollups() returns void language plpgsql as $$
begin
  lock table tickets, dossiers, survey_answers in share mode;
  perform pg_advisory_xact_lock(hashtext('citydeck:kpi-fold'));
  truncate kpi_ticket_pending, kpi_dossier_pending, kpi_survey_pending;
  perform kpi_rebuild_rollups_from_raw();
end $$;
