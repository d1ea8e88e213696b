-- Tasks and directives (docs/design.md §9): the tasks feed, and alerts that become owned work.
-- Tasks (docs/design.md §9): work assigned to a unit with a deadline, from a task-tracking system or a
-- leader's directive (source 'citydeck'); a unit's report is a new version.
create table tasks (
  source         text not null,
  ref            text not null,
  updated_at     timestamptz not null,
  title          text not null,
  description    text,
  unit           text not null,
  issued_by      text,
  issued_at      timestamptz not null,
  due_at         timestamptz not null,
  status         text not null check (status in ('assigned','accepted','in_progress','done','cancelled')),
  progress       smallint check (progress between 0 and 100),
  done_at        timestamptz,
  report         text,              -- the unit's latest progress note
  priority       text check (priority in ('normal','urgent')),
  subject_kind   text check (subject_kind in ('ticket','dossier')),
  subject_source text,
  subject_ref    text,
  ward_code      text,              -- sent, or the subject's ward
  content_hash   text not null,
  ingested_at    timestamptz not null default now(),
  primary key (source, ref)
);
create index tasks_subject on tasks (subject_kind, subject_source, subject_ref) where subject_ref is not null;
create index tasks_unit_due on tasks (unit, due_at);
create index tasks_open_due on tasks (due_at) where done_at is null and status <> 'cancelled';

alter table change_log drop constraint change_log_feed_check,
  add constraint change_log_feed_check check (feed in ('tickets','dossiers','surveys','procedures','tasks'));

alter table alerts drop constraint alerts_kind_check,
  add constraint alerts_kind_check check (kind in ('ticket_overdue', 'dossier_overdue', 'task_overdue')),
  add column acknowledged_at timestamptz,
  add column acknowledged_by text,
  add column escalated_at    timestamptz,
  add column directed_source text,
  add column directed_ref    text,
  add column directed_unit   text,
  add column directed_due_at timestamptz;

-- A unit's staff log in as `unit:<code>` (docs/design.md §5).
alter table users drop constraint users_role_check,
  add constraint users_role_check check (role in ('leader', 'admin') or role ~ '^unit:[A-Za-z0-9._-]{1,64}$');
