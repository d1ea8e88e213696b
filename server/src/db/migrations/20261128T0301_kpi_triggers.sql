-- Keeps the KPI rollups (20261128T0300) exact: statement-level AFTER triggers with transition
-- tables subtract the old rows' events and add the new rows' events, in one upsert per
-- statement (a 10,000-item ingest batch is one set-based update, not 10,000).

-- Adds `sign` times the events of `rows` to the ticket rollups and resolve-time histogram.
create function kpi_ticket_apply(removed tickets[], added tickets[])
returns void language sql as $$
  with signed as (
    select -1 as sign, r as t from unnest(removed) r
    union all
    select 1, a from unnest(added) a
  ), ev as (
    select s.sign, (s.t).ward_code, (s.t).unit, (s.t).category, e.*
    from signed s
    cross join lateral kpi_ticket_events((s.t).received_at, (s.t).due_at, (s.t).resolved_at,
                                         (s.t).closed_effective_at) e
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, ev.at, 'UTC') as bucket,
           sc.ward_code, sc.unit, sc.category, ev.sign, ev.received, ev.resolved,
           ev.resolved_on_time, ev.open_delta, ev.overdue_delta, ev.bin
    from ev
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, ev.ward_code, ev.unit, ev.category),
                               (1::smallint, ev.ward_code, null, null),
                               (2::smallint, null, null, null)) sc(scope, ward_code, unit, category)
  ), counts as (
    insert into kpi_ticket_rollup as r (scope, grain, bucket, ward_code, unit, category, received,
                                        resolved, resolved_on_time, open_delta, overdue_delta)
    select scope, grain, bucket, ward_code, unit, category, sum(sign * received),
           sum(sign * resolved), sum(sign * resolved_on_time), sum(sign * open_delta),
           sum(sign * overdue_delta)
    from keyed
    group by scope, grain, bucket, ward_code, unit, category
    having sum(sign * received) <> 0 or sum(sign * resolved) <> 0 or sum(sign * resolved_on_time) <> 0
        or sum(sign * open_delta) <> 0 or sum(sign * overdue_delta) <> 0
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
    select scope, grain, bucket, ward_code, unit, category, bin, sum(sign)
    from keyed
    where resolved = 1
    group by scope, grain, bucket, ward_code, unit, category, bin
    having sum(sign) <> 0
    order by scope, grain, bucket, ward_code, unit, category, bin
    on conflict (scope, grain, bucket, ward_code, unit, category, bin) do update set n = h.n + excluded.n
    returning 1
  )
  select from (select count(*) from counts) c, (select count(*) from hist) h
$$;

create function kpi_dossier_apply(removed dossiers[], added dossiers[])
returns void language sql as $$
  with signed as (
    select -1 as sign, r as d from unnest(removed) r
    union all
    select 1, a from unnest(added) a
  ), ev as (
    select s.sign, (s.d).ward_code, (s.d).unit, e.*
    from signed s
    cross join lateral kpi_dossier_events((s.d).received_at, (s.d).due_at, (s.d).finished_at, (s.d).status,
                                          (s.d).channel, (s.d).digitized_input, (s.d).digitized_result,
                                          (s.d).paid_online) e
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, ev.at, 'UTC') as bucket, sc.ward_code, sc.unit,
           ev.sign, ev.received, ev.received_online, ev.digitized_input, ev.paid_online,
           ev.paid_known, ev.finished, ev.finished_on_time, ev.digitized_result,
           ev.processing_seconds, ev.open_delta, ev.overdue_delta
    from ev
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, ev.ward_code, ev.unit),
                               (1::smallint, ev.ward_code, null),
                               (2::smallint, null, null)) sc(scope, ward_code, unit)
  )
  insert into kpi_dossier_rollup as r (scope, grain, bucket, ward_code, unit, received, received_online,
    digitized_input, paid_online, paid_known, finished, finished_on_time, digitized_result,
    processing_seconds, open_delta, overdue_delta)
  select scope, grain, bucket, ward_code, unit, sum(sign * received), sum(sign * received_online),
         sum(sign * digitized_input), sum(sign * paid_online), sum(sign * paid_known),
         sum(sign * finished), sum(sign * finished_on_time), sum(sign * digitized_result),
         sum(sign * processing_seconds), sum(sign * open_delta), sum(sign * overdue_delta)
  from keyed
  group by scope, grain, bucket, ward_code, unit
  having sum(sign * received) <> 0 or sum(sign * received_online) <> 0
      or sum(sign * digitized_input) <> 0 or sum(sign * paid_online) <> 0
      or sum(sign * paid_known) <> 0 or sum(sign * finished) <> 0
      or sum(sign * finished_on_time) <> 0 or sum(sign * digitized_result) <> 0
      or sum(sign * processing_seconds) <> 0 or sum(sign * open_delta) <> 0
      or sum(sign * overdue_delta) <> 0
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
$$;

create function kpi_survey_apply(removed survey_answers[], added survey_answers[])
returns void language sql as $$
  with signed as (
    select -1 as sign, r.* from unnest(removed) r
    union all
    select 1, a.* from unnest(added) a
  ), keyed as (
    select sc.scope, g.grain, date_trunc(g.grain, s.submitted_at, 'UTC') as bucket, sc.ward_code,
           sc.unit, s.sign, s.score
    from signed s
    cross join (values ('hour'), ('day'), ('month'), ('year')) g(grain)
    cross join lateral (values (0::smallint, s.ward_code, s.unit),
                               (1::smallint, s.ward_code, null),
                               (2::smallint, null, null)) sc(scope, ward_code, unit)
  )
  insert into kpi_survey_rollup as r (scope, grain, bucket, ward_code, unit, responses, satisfied, score_sum)
  select scope, grain, bucket, ward_code, unit, sum(sign), sum(sign * (score >= 4)::integer), sum(sign * score)
  from keyed
  group by scope, grain, bucket, ward_code, unit
  having sum(sign) <> 0 or sum(sign * (score >= 4)::integer) <> 0 or sum(sign * score) <> 0
  order by scope, grain, bucket, ward_code, unit
  on conflict (scope, grain, bucket, ward_code, unit) do update set
    responses = r.responses + excluded.responses,
    satisfied = r.satisfied + excluded.satisfied,
    score_sum = r.score_sum + excluded.score_sum
$$;

create function kpi_tickets_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform kpi_ticket_apply('{}', array(select n::tickets from new_rows n));
  elsif tg_op = 'UPDATE' then
    perform kpi_ticket_apply(array(select o::tickets from old_rows o), array(select n::tickets from new_rows n));
  elsif tg_op = 'DELETE' then
    perform kpi_ticket_apply(array(select o::tickets from old_rows o), '{}');
  else
    delete from kpi_ticket_rollup;
    delete from kpi_ticket_resolve_hist;
  end if;
  return null;
end $$;

create function kpi_dossiers_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform kpi_dossier_apply('{}', array(select n::dossiers from new_rows n));
  elsif tg_op = 'UPDATE' then
    perform kpi_dossier_apply(array(select o::dossiers from old_rows o), array(select n::dossiers from new_rows n));
  elsif tg_op = 'DELETE' then
    perform kpi_dossier_apply(array(select o::dossiers from old_rows o), '{}');
  else
    delete from kpi_dossier_rollup;
  end if;
  return null;
end $$;

create function kpi_surveys_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    perform kpi_survey_apply('{}', array(select n::survey_answers from new_rows n));
  elsif tg_op = 'UPDATE' then
    perform kpi_survey_apply(array(select o::survey_answers from old_rows o), array(select n::survey_answers from new_rows n));
  elsif tg_op = 'DELETE' then
    perform kpi_survey_apply(array(select o::survey_answers from old_rows o), '{}');
  else
    delete from kpi_survey_rollup;
  end if;
  return null;
end $$;

create trigger kpi_ins after insert on tickets referencing new table as new_rows
  for each statement execute function kpi_tickets_changed();
create trigger kpi_upd after update on tickets referencing old table as old_rows new table as new_rows
  for each statement execute function kpi_tickets_changed();
create trigger kpi_del after delete on tickets referencing old table as old_rows
  for each statement execute function kpi_tickets_changed();
create trigger kpi_trunc after truncate on tickets
  for each statement execute function kpi_tickets_changed();

create trigger kpi_ins after insert on dossiers referencing new table as new_rows
  for each statement execute function kpi_dossiers_changed();
create trigger kpi_upd after update on dossiers referencing old table as old_rows new table as new_rows
  for each statement execute function kpi_dossiers_changed();
create trigger kpi_del after delete on dossiers referencing old table as old_rows
  for each statement execute function kpi_dossiers_changed();
create trigger kpi_trunc after truncate on dossiers
  for each statement execute function kpi_dossiers_changed();

create trigger kpi_ins after insert on survey_answers referencing new table as new_rows
  for each statement execute function kpi_surveys_changed();
create trigger kpi_upd after update on survey_answers referencing old table as old_rows new table as new_rows
  for each statement execute function kpi_surveys_changed();
create trigger kpi_del after delete on survey_answers referencing old table as old_rows
  for each statement execute function kpi_surveys_changed();
create trigger kpi_trunc after truncate on survey_answers
  for each statement execute function kpi_surveys_changed();
