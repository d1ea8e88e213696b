-- The fold: pending KPI rows (tables.sql, appended by triggers.sql) into the rollups. The server
-- runs it about every second (kpi/fold.ts). Readers stay exact throughout: every KPI statement
-- reads the rollup buckets AND the pending rows of the same time ranges in one snapshot, and a
-- fold commits atomically, so each event is seen either pending or folded, never both, never
-- neither.
-- Moves up to `max_rows` pending rows of each feed into the rollups, in the caller's
-- transaction (one statement: one transaction), under a transaction-level advisory lock so
-- one session folds at a time. Returns how many pending rows it folded; 0 without waiting
-- when another session is folding (unless `wait`). `delete ... returning` takes each row
-- once: a second folder that waited for the lock re-reads and finds it gone. The rows'
-- events are summed per UTC hour and key, then spread over the 4 grains x 4 scopes.
create or replace function kpi_fold_pending(max_rows integer default 20000, wait boolean default false)
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
    where p.ctid = any (array(select ctid from kpi_ticket_pending limit max_rows for update skip locked))
    returning p.*
  ), hourly as (
    select date_bin('1 hour', e.at, 'epoch') as hour, t.ward_code, t.unit, t.category, e.bin,
           sum(t.n * e.received) as received, sum(t.n * e.resolved) as resolved,
           sum(t.n * e.resolved_on_time) as resolved_on_time, sum(t.n * e.open_delta) as open_delta,
           sum(t.n * e.overdue_delta) as overdue_delta
    from taken t
    cross join lateral kpi_ticket_events(t.received_at, t.due_at, t.resolved_at, t.closed_effective_at) e
    group by 1, 2, 3, 4, 5
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, h.hour, 'UTC') as bucket, sc.ward_code, sc.unit,
           sc.category, h.bin, h.received, h.resolved, h.resolved_on_time, h.open_delta, h.overdue_delta
    from hourly h
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, h.ward_code, h.unit, h.category),
                               (1::smallint, h.ward_code, null, null),
                               (2::smallint, null, null, null),
                               (3::smallint, null, h.unit, null)) sc(scope, ward_code, unit, category)
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
    where p.ctid = any (array(select ctid from kpi_dossier_pending limit max_rows for update skip locked))
    returning p.*
  ), hourly as (
    select date_bin('1 hour', e.at, 'epoch') as hour, t.ward_code, t.unit, sum(t.n * e.received) as received,
           sum(t.n * e.received_online) as received_online, sum(t.n * e.digitized_input) as digitized_input,
           sum(t.n * e.paid_online) as paid_online, sum(t.n * e.paid_known) as paid_known,
           sum(t.n * e.finished) as finished, sum(t.n * e.finished_on_time) as finished_on_time,
           sum(t.n * e.digitized_result) as digitized_result,
           sum(t.n * e.processing_seconds) as processing_seconds, sum(t.n * e.open_delta) as open_delta,
           sum(t.n * e.overdue_delta) as overdue_delta
    from taken t
    cross join lateral kpi_dossier_events(t.received_at, t.due_at, t.finished_at, t.status, t.channel,
                                          t.digitized_input, t.digitized_result, t.paid_online) e
    group by 1, 2, 3
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, h.hour, 'UTC') as bucket, sc.ward_code, sc.unit,
           h.received, h.received_online, h.digitized_input, h.paid_online, h.paid_known, h.finished,
           h.finished_on_time, h.digitized_result, h.processing_seconds, h.open_delta, h.overdue_delta
    from hourly h
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, h.ward_code, h.unit),
                               (1::smallint, h.ward_code, null),
                               (2::smallint, null, null),
                               (3::smallint, null, h.unit)) sc(scope, ward_code, unit)
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
    delete from kpi_task_pending p
    where p.ctid = any (array(select ctid from kpi_task_pending limit max_rows for update skip locked))
    returning p.*
  ), hourly as (
    select date_bin('1 hour', e.at, 'epoch') as hour, t.ward_code, t.unit, sum(t.n * e.issued) as issued,
           sum(t.n * e.done) as done, sum(t.n * e.done_on_time) as done_on_time,
           sum(t.n * e.open_delta) as open_delta, sum(t.n * e.overdue_delta) as overdue_delta
    from taken t
    cross join lateral kpi_task_events(t.issued_at, t.due_at, t.done_at, t.cancelled) e
    group by 1, 2, 3
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, h.hour, 'UTC') as bucket, sc.ward_code, sc.unit,
           h.issued, h.done, h.done_on_time, h.open_delta, h.overdue_delta
    from hourly h
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, h.ward_code, h.unit),
                               (1::smallint, h.ward_code, null),
                               (2::smallint, null, null),
                               (3::smallint, null, h.unit)) sc(scope, ward_code, unit)
  ), counts as (
    insert into kpi_task_rollup as r (scope, grain, bucket, ward_code, unit, issued, done, done_on_time,
                                      open_delta, overdue_delta)
    select scope, grain, bucket, ward_code, unit, sum(issued), sum(done), sum(done_on_time),
           sum(open_delta), sum(overdue_delta)
    from keyed
    group by scope, grain, bucket, ward_code, unit
    having sum(issued) <> 0 or sum(done) <> 0 or sum(done_on_time) <> 0 or sum(open_delta) <> 0
        or sum(overdue_delta) <> 0
    order by scope, grain, bucket, ward_code, unit
    on conflict (scope, grain, bucket, ward_code, unit) do update set
      issued = r.issued + excluded.issued,
      done = r.done + excluded.done,
      done_on_time = r.done_on_time + excluded.done_on_time,
      open_delta = r.open_delta + excluded.open_delta,
      overdue_delta = r.overdue_delta + excluded.overdue_delta
    returning 1
  )
  select (select count(*) from taken) into n from (select count(*) from counts) c;
  folded := folded + n;

  with taken as (
    delete from kpi_survey_pending p
    where p.ctid = any (array(select ctid from kpi_survey_pending limit max_rows for update skip locked))
    returning p.*
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, t.submitted_at, 'UTC') as bucket, sc.ward_code, sc.unit,
           t.n as responses, t.n * (t.score >= 4)::integer as satisfied, t.n * t.score as score_sum
    from taken t
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, t.ward_code, t.unit),
                               (1::smallint, t.ward_code, null),
                               (2::smallint, null, null),
                               (3::smallint, null, t.unit)) sc(scope, ward_code, unit)
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
  'Folds pending KPI rows into the rollups; returns the pending rows folded, 0 if another session folds';
