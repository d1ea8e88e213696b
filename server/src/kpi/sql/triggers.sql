-- The feed tables' KPI triggers: statement-level, with transition tables, so they fire
-- whoever writes (ingest, SQL, deletes), once per statement. They only append one signed row
-- per changed item to kpi_*_pending (-1 for the old version, +1 for the new): plain inserts
-- with no conflicts and no shared rows, so concurrent ingest transactions never wait on each
-- other for KPIs; the fold (fold.sql) applies them.
--
-- An update's old (-1) and new (+1) versions are summed per value first: a new version with
-- the same KPI columns as the old one (a new title, a status within "open") writes nothing.

create or replace function kpi_tickets_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into kpi_ticket_pending
    select 1, received_at, due_at, resolved_at, closed_effective_at, ward_code, unit, category
    from new_rows;
  elsif tg_op = 'UPDATE' then
    insert into kpi_ticket_pending
    select sum(n), received_at, due_at, resolved_at, closed_effective_at, ward_code, unit, category
    from (select -1 as n, received_at, due_at, resolved_at, closed_effective_at, ward_code, unit, category
          from old_rows
          union all
          select 1, received_at, due_at, resolved_at, closed_effective_at, ward_code, unit, category
          from new_rows) v
    group by 2, 3, 4, 5, 6, 7, 8
    having sum(n) <> 0;
  elsif tg_op = 'DELETE' then
    insert into kpi_ticket_pending
    select -1, received_at, due_at, resolved_at, closed_effective_at, ward_code, unit, category
    from old_rows;
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
    select 1, received_at, due_at, finished_at, status, channel, digitized_input, digitized_result,
           paid_online, ward_code, unit
    from new_rows;
  elsif tg_op = 'UPDATE' then
    insert into kpi_dossier_pending
    select sum(n), received_at, due_at, finished_at, status, channel, digitized_input, digitized_result,
           paid_online, ward_code, unit
    from (select -1 as n, received_at, due_at, finished_at, status, channel, digitized_input,
                 digitized_result, paid_online, ward_code, unit
          from old_rows
          union all
          select 1, received_at, due_at, finished_at, status, channel, digitized_input, digitized_result,
                 paid_online, ward_code, unit
          from new_rows) v
    group by 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
    having sum(n) <> 0;
  elsif tg_op = 'DELETE' then
    insert into kpi_dossier_pending
    select -1, received_at, due_at, finished_at, status, channel, digitized_input, digitized_result,
           paid_online, ward_code, unit
    from old_rows;
  else
    delete from kpi_dossier_pending;
    delete from kpi_dossier_rollup;
  end if;
  return null;
end $$;

create or replace function kpi_surveys_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into kpi_survey_pending select 1, submitted_at, score, ward_code, unit from new_rows;
  elsif tg_op = 'UPDATE' then
    insert into kpi_survey_pending
    select sum(n), submitted_at, score, ward_code, unit
    from (select -1 as n, submitted_at, score, ward_code, unit from old_rows
          union all
          select 1, submitted_at, score, ward_code, unit from new_rows) v
    group by 2, 3, 4, 5
    having sum(n) <> 0;
  elsif tg_op = 'DELETE' then
    insert into kpi_survey_pending select -1, submitted_at, score, ward_code, unit from old_rows;
  else
    delete from kpi_survey_pending;
    delete from kpi_survey_rollup;
  end if;
  return null;
end $$;

create or replace function kpi_tasks_changed() returns trigger language plpgsql as $$
begin
  if tg_op = 'INSERT' then
    insert into kpi_task_pending
    select 1, issued_at, due_at, done_at, status = 'cancelled', ward_code, unit from new_rows;
  elsif tg_op = 'UPDATE' then
    -- A report that only moves progress or status within "not cancelled" writes nothing.
    insert into kpi_task_pending
    select sum(n), issued_at, due_at, done_at, cancelled, ward_code, unit
    from (select -1 as n, issued_at, due_at, done_at, status = 'cancelled' as cancelled, ward_code, unit
          from old_rows
          union all
          select 1, issued_at, due_at, done_at, status = 'cancelled', ward_code, unit from new_rows) v
    group by 2, 3, 4, 5, 6, 7
    having sum(n) <> 0;
  elsif tg_op = 'DELETE' then
    insert into kpi_task_pending
    select -1, issued_at, due_at, done_at, status = 'cancelled', ward_code, unit from old_rows;
  else
    delete from kpi_task_pending;
    delete from kpi_task_rollup;
  end if;
  return null;
end $$;

create or replace trigger kpi_ins after insert on tickets referencing new table as new_rows
  for each statement execute function kpi_tickets_changed();
create or replace trigger kpi_upd after update on tickets referencing old table as old_rows new table as new_rows
  for each statement execute function kpi_tickets_changed();
create or replace trigger kpi_del after delete on tickets referencing old table as old_rows
  for each statement execute function kpi_tickets_changed();
create or replace trigger kpi_trunc after truncate on tickets
  for each statement execute function kpi_tickets_changed();

create or replace trigger kpi_ins after insert on dossiers referencing new table as new_rows
  for each statement execute function kpi_dossiers_changed();
create or replace trigger kpi_upd after update on dossiers referencing old table as old_rows new table as new_rows
  for each statement execute function kpi_dossiers_changed();
create or replace trigger kpi_del after delete on dossiers referencing old table as old_rows
  for each statement execute function kpi_dossiers_changed();
create or replace trigger kpi_trunc after truncate on dossiers
  for each statement execute function kpi_dossiers_changed();

create or replace trigger kpi_ins after insert on survey_answers referencing new table as new_rows
  for each statement execute function kpi_surveys_changed();
create or replace trigger kpi_upd after update on survey_answers referencing old table as old_rows new table as new_rows
  for each statement execute function kpi_surveys_changed();
create or replace trigger kpi_del after delete on survey_answers referencing old table as old_rows
  for each statement execute function kpi_surveys_changed();
create or replace trigger kpi_trunc after truncate on survey_answers
  for each statement execute function kpi_surveys_changed();

create or replace trigger kpi_ins after insert on tasks referencing new table as new_rows
  for each statement execute function kpi_tasks_changed();
create or replace trigger kpi_upd after update on tasks referencing old table as old_rows new table as new_rows
  for each statement execute function kpi_tasks_changed();
create or replace trigger kpi_del after delete on tasks referencing old table as old_rows
  for each statement execute function kpi_tasks_changed();
create or replace trigger kpi_trunc after truncate on tasks
  for each statement execute function kpi_tasks_changed();
