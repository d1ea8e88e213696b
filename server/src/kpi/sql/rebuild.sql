-- Recomputes every KPI rollup from the raw rows, set-based: the hour buckets of scope 0
-- straight from the events (events.sql, the same expansion the triggers use), then each coarser
-- grain from the one below and scopes 1 and 2 from scope 0. Used by bulk loads that disable the
-- triggers (the benchmark), and by tests as the reference the incremental rollups must equal.

create or replace function kpi_rebuild_rollups_from_raw() returns void language plpgsql as $$
declare
  grains text[] := array['hour', 'day', 'month', 'year'];
  i integer;
begin
  -- Large sorts and hashes stay in memory for this transaction only. Hour buckets use
  -- date_bin (plain arithmetic, equal to date_trunc(.., 'UTC')): it is the per-row hot path.
  perform set_config('work_mem', '256MB', true);
  -- Rebuilding the unique keys once after the load is much faster than checking each insert.
  truncate kpi_ticket_rollup, kpi_ticket_resolve_hist, kpi_dossier_rollup, kpi_survey_rollup, kpi_task_rollup;
  alter table kpi_ticket_rollup drop constraint kpi_ticket_rollup_key;
  alter table kpi_ticket_resolve_hist drop constraint kpi_ticket_resolve_hist_key;
  alter table kpi_dossier_rollup drop constraint kpi_dossier_rollup_key;
  alter table kpi_survey_rollup drop constraint kpi_survey_rollup_key;
  alter table kpi_task_rollup drop constraint kpi_task_rollup_key;

  insert into kpi_ticket_rollup (scope, grain, bucket, ward_code, unit, category, received, resolved,
                                 resolved_on_time, open_delta, overdue_delta)
  select 0, 'hour', date_bin('1 hour', e.at, 'epoch'), t.ward_code, t.unit, t.category, sum(e.received),
         sum(e.resolved), sum(e.resolved_on_time), sum(e.open_delta), sum(e.overdue_delta)
  from tickets t
  cross join lateral kpi_ticket_events(t.received_at, t.due_at, t.resolved_at, t.closed_effective_at) e
  group by 3, 4, 5, 6;
  insert into kpi_ticket_resolve_hist (scope, grain, bucket, ward_code, unit, category, bin, n)
  select 0, 'hour', date_bin('1 hour', t.resolved_at, 'epoch'), t.ward_code, t.unit, t.category,
         kpi_resolve_bin(t.resolved_at - t.received_at), count(*)
  from tickets t where t.resolved_at is not null
  group by 3, 4, 5, 6, 7;
  insert into kpi_dossier_rollup (scope, grain, bucket, ward_code, unit, received, received_online,
    digitized_input, paid_online, paid_known, finished, finished_on_time, digitized_result,
    processing_seconds, open_delta, overdue_delta)
  select 0, 'hour', date_bin('1 hour', e.at, 'epoch'), d.ward_code, d.unit, sum(e.received),
         sum(e.received_online), sum(e.digitized_input), sum(e.paid_online), sum(e.paid_known),
         sum(e.finished), sum(e.finished_on_time), sum(e.digitized_result), sum(e.processing_seconds),
         sum(e.open_delta), sum(e.overdue_delta)
  from dossiers d
  cross join lateral kpi_dossier_events(d.received_at, d.due_at, d.finished_at, d.status, d.channel,
                                        d.digitized_input, d.digitized_result, d.paid_online) e
  group by 3, 4, 5;
  insert into kpi_survey_rollup (scope, grain, bucket, ward_code, unit, responses, satisfied, score_sum)
  select 0, 'hour', date_bin('1 hour', s.submitted_at, 'epoch'), s.ward_code, s.unit, count(*),
         count(*) filter (where s.score >= 4), sum(s.score)
  from survey_answers s
  group by 3, 4, 5;
  insert into kpi_task_rollup (scope, grain, bucket, ward_code, unit, issued, done, done_on_time, open_delta,
                               overdue_delta)
  select 0, 'hour', date_bin('1 hour', e.at, 'epoch'), k.ward_code, k.unit, sum(e.issued), sum(e.done),
         sum(e.done_on_time), sum(e.open_delta), sum(e.overdue_delta)
  from tasks k
  cross join lateral kpi_task_events(k.issued_at, k.due_at, k.done_at, k.status = 'cancelled') e
  group by 3, 4, 5;

  for i in 2 .. 4 loop
    insert into kpi_ticket_rollup (scope, grain, bucket, ward_code, unit, category, received, resolved,
                                   resolved_on_time, open_delta, overdue_delta)
    select 0, grains[i], date_trunc(grains[i], bucket, 'UTC'), ward_code, unit, category, sum(received),
           sum(resolved), sum(resolved_on_time), sum(open_delta), sum(overdue_delta)
    from kpi_ticket_rollup where scope = 0 and grain = grains[i - 1]
    group by 3, 4, 5, 6;
    insert into kpi_ticket_resolve_hist (scope, grain, bucket, ward_code, unit, category, bin, n)
    select 0, grains[i], date_trunc(grains[i], bucket, 'UTC'), ward_code, unit, category, bin, sum(n)
    from kpi_ticket_resolve_hist where scope = 0 and grain = grains[i - 1]
    group by 3, 4, 5, 6, 7;
    insert into kpi_dossier_rollup (scope, grain, bucket, ward_code, unit, received, received_online,
      digitized_input, paid_online, paid_known, finished, finished_on_time, digitized_result,
      processing_seconds, open_delta, overdue_delta)
    select 0, grains[i], date_trunc(grains[i], bucket, 'UTC'), ward_code, unit, sum(received),
           sum(received_online), sum(digitized_input), sum(paid_online), sum(paid_known), sum(finished),
           sum(finished_on_time), sum(digitized_result), sum(processing_seconds), sum(open_delta),
           sum(overdue_delta)
    from kpi_dossier_rollup where scope = 0 and grain = grains[i - 1]
    group by 3, 4, 5;
    insert into kpi_survey_rollup (scope, grain, bucket, ward_code, unit, responses, satisfied, score_sum)
    select 0, grains[i], date_trunc(grains[i], bucket, 'UTC'), ward_code, unit, sum(responses),
           sum(satisfied), sum(score_sum)
    from kpi_survey_rollup where scope = 0 and grain = grains[i - 1]
    group by 3, 4, 5;
    insert into kpi_task_rollup (scope, grain, bucket, ward_code, unit, issued, done, done_on_time, open_delta,
                                 overdue_delta)
    select 0, grains[i], date_trunc(grains[i], bucket, 'UTC'), ward_code, unit, sum(issued), sum(done),
           sum(done_on_time), sum(open_delta), sum(overdue_delta)
    from kpi_task_rollup where scope = 0 and grain = grains[i - 1]
    group by 3, 4, 5;
  end loop;

  -- Scopes 1 (per ward), 2 (city) and 3 (per unit) from scope 0, every grain at once.
  insert into kpi_ticket_rollup (scope, grain, bucket, ward_code, unit, category, received, resolved,
                                 resolved_on_time, open_delta, overdue_delta)
  select sc.scope, r.grain, r.bucket, case when sc.scope = 1 then r.ward_code end,
         case when sc.scope = 3 then r.unit end, null,
         sum(received), sum(resolved), sum(resolved_on_time), sum(open_delta), sum(overdue_delta)
  from kpi_ticket_rollup r cross join (values (1::smallint), (2::smallint), (3::smallint)) sc(scope)
  where r.scope = 0
  group by 1, 2, 3, 4, 5;
  insert into kpi_ticket_resolve_hist (scope, grain, bucket, ward_code, unit, category, bin, n)
  select sc.scope, r.grain, r.bucket, case when sc.scope = 1 then r.ward_code end,
         case when sc.scope = 3 then r.unit end, null, r.bin, sum(n)
  from kpi_ticket_resolve_hist r cross join (values (1::smallint), (2::smallint), (3::smallint)) sc(scope)
  where r.scope = 0
  group by 1, 2, 3, 4, 5, 7;
  insert into kpi_dossier_rollup (scope, grain, bucket, ward_code, unit, received, received_online,
    digitized_input, paid_online, paid_known, finished, finished_on_time, digitized_result,
    processing_seconds, open_delta, overdue_delta)
  select sc.scope, r.grain, r.bucket, case when sc.scope = 1 then r.ward_code end,
         case when sc.scope = 3 then r.unit end, sum(received),
         sum(received_online), sum(digitized_input), sum(paid_online), sum(paid_known), sum(finished),
         sum(finished_on_time), sum(digitized_result), sum(processing_seconds), sum(open_delta),
         sum(overdue_delta)
  from kpi_dossier_rollup r cross join (values (1::smallint), (2::smallint), (3::smallint)) sc(scope)
  where r.scope = 0
  group by 1, 2, 3, 4, 5;
  insert into kpi_survey_rollup (scope, grain, bucket, ward_code, unit, responses, satisfied, score_sum)
  select sc.scope, r.grain, r.bucket, case when sc.scope = 1 then r.ward_code end,
         case when sc.scope = 3 then r.unit end, sum(responses),
         sum(satisfied), sum(score_sum)
  from kpi_survey_rollup r cross join (values (1::smallint), (2::smallint), (3::smallint)) sc(scope)
  where r.scope = 0
  group by 1, 2, 3, 4, 5;
  insert into kpi_task_rollup (scope, grain, bucket, ward_code, unit, issued, done, done_on_time, open_delta,
                               overdue_delta)
  select sc.scope, r.grain, r.bucket, case when sc.scope = 1 then r.ward_code end,
         case when sc.scope = 3 then r.unit end, sum(issued), sum(done),
         sum(done_on_time), sum(open_delta), sum(overdue_delta)
  from kpi_task_rollup r cross join (values (1::smallint), (2::smallint), (3::smallint)) sc(scope)
  where r.scope = 0
  group by 1, 2, 3, 4, 5;

  alter table kpi_ticket_rollup add constraint kpi_ticket_rollup_key
    unique nulls not distinct (scope, grain, bucket, ward_code, unit, category);
  alter table kpi_ticket_resolve_hist add constraint kpi_ticket_resolve_hist_key
    unique nulls not distinct (scope, grain, bucket, ward_code, unit, category, bin) include (n);
  alter table kpi_dossier_rollup add constraint kpi_dossier_rollup_key
    unique nulls not distinct (scope, grain, bucket, ward_code, unit);
  alter table kpi_survey_rollup add constraint kpi_survey_rollup_key
    unique nulls not distinct (scope, grain, bucket, ward_code, unit);
  alter table kpi_task_rollup add constraint kpi_task_rollup_key
    unique nulls not distinct (scope, grain, bucket, ward_code, unit);
end $$;

-- The raw rows already hold every committed change, so a rebuild drops the pending rows instead
-- of folding them. Writers wait (share lock on the feed tables) so none commits between the raw
-- read and the truncate, and a fold in progress finishes first (the fold lock).
create or replace function kpi_rebuild_rollups() returns void language plpgsql as $$
begin
  lock table tickets, dossiers, survey_answers, tasks in share mode;
  perform pg_advisory_xact_lock(hashtext('citydeck:kpi-fold'));
  truncate kpi_ticket_pending, kpi_dossier_pending, kpi_survey_pending, kpi_task_pending;
  perform kpi_rebuild_rollups_from_raw();
end $$;
