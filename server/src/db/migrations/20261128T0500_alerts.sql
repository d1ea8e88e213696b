-- Live stream storage (DESIGN §4): SLA alerts, change-log wake-ups for every server process,
-- the deadline indexes the SLA timers load from, and the socket.io PostgreSQL adapter's table.

-- SLA alerts, stored so a wall that connects later shows the current ones. One row per
-- (kind, item, deadline): the process whose insert wins raises the alert, so several
-- processes never raise it twice, and a ticket given a new deadline can breach again.
create table alerts (
  id          bigint generated always as identity primary key,
  kind        text not null check (kind in ('ticket_overdue', 'dossier_overdue')),
  item_id     text not null,          -- '<source>:<ref>'
  due_at      timestamptz not null,
  ward_code   text,
  title       text,                   -- ticket title or procedure code; never personal data
  raised_at   timestamptz not null,
  resolved_at timestamptz,            -- set when the item closes; the alert is no longer current
  unique (kind, item_id, due_at)
);
create index alerts_current on alerts (raised_at) where resolved_at is null;
create index alerts_item on alerts (item_id) where resolved_at is null;

-- The SLA timers keep only deadlines of the next hour in memory and load them from these
-- partial indexes, so a reload reads the few open items due soon, not the whole history.
create index tickets_open_due on tickets (due_at)
  where closed_effective_at is null and status <> 'rejected';
create index dossiers_open_due on dossiers (due_at)
  where finished_at is null and status not in ('withdrawn', 'rejected');

-- Each appending transaction wakes every process tailing the change log (LISTEN
-- citydeck_change_log); NOTIFY is delivered at commit, so a woken reader sees the rows.
create function change_log_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('citydeck_change_log', '');
  return null;
end $$;
create trigger change_log_notify after insert on change_log
  for each statement execute function change_log_notify();

-- @socket.io/postgres-adapter keeps payloads over NOTIFY's 8000-byte limit here.
create table socket_io_attachments (
  id         bigserial unique,
  created_at timestamptz default now(),
  payload    bytea
);
