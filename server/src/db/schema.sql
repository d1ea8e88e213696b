-- The current schema of citydeck's tables, in one place. A fresh database is created from this
-- file and the module files it names below; an existing database is brought here by the delta
-- migrations in db/migrations/ (server/src/db/migrate.ts explains the order, and
-- server/test/schema-upgrade.test.ts checks that both ways end in the same schema).
--
-- Tables only: functions and triggers are code, kept beside the module that owns them and
-- applied on every start (kpi/sql/*.sql: the KPI engine; changelog/notify.sql), and the KPI
-- engine's own tables are in kpi/sql/tables.sql.

-- ========================================================================================
-- Feeds and the change log

-- Feed tables (docs/design.md §2). Every item is keyed by (source, ref); updated_at is the item's own
-- version clock: a write with an older updated_at than the stored one is ignored. content_hash
-- (of the normalized item) breaks ties between two different versions with the same updated_at,
-- so the final state never depends on delivery order.

create table tickets (
  source       text not null,
  ref          text not null,
  updated_at   timestamptz not null,
  category     text not null,
  title        text not null,
  description  text,
  lat          double precision,  -- null with lng for a report located only by its address (Open311)
  lng          double precision,
  address      text,
  ward_code    text,              -- sent, or derived from (lat, lng) with the ward polygons
  status       text not null check (status in ('received','assigned','in_progress','resolved','closed','rejected')),
  unit         text,              -- kept as sent, even when the profile does not know it
  received_at  timestamptz not null,
  due_at       timestamptz not null, -- sent, or received_at + the category's SLA hours
  resolved_at  timestamptz,
  closed_at    timestamptz,
  channel      text,
  reporter     jsonb,             -- personal data: only leader/admin may read it
  media        jsonb,
  -- docs/design.md §3: closed once it has resolvedAt, closedAt or status rejected; the closing time is
  -- the earliest of those (a rejection without a timestamp closes at its updatedAt).
  closed_effective_at timestamptz generated always as
    (least(resolved_at, closed_at, case when status = 'rejected' then updated_at end)) stored,
  content_hash text not null,
  ingested_at  timestamptz not null default now(),
  attributes   jsonb,             -- Open311 attribute[code] values, as sent
  primary key (source, ref)
);

create table dossiers (
  source              text not null,
  ref                 text not null,
  updated_at          timestamptz not null,
  procedure_code      text not null,
  channel             text not null check (channel in ('online','direct','postal')),
  status              text not null check (status in ('received','processing','supplement','done','returned','withdrawn','rejected')),
  received_at         timestamptz not null,
  due_at              timestamptz not null,  -- ngày hẹn trả
  finished_at         timestamptz,
  unit                text,
  ward_code           text,
  digitized_input     boolean,
  digitized_result    boolean,
  paid_online         boolean,               -- null when the procedure carries no fee
  supplement_requests integer,
  content_hash        text not null,
  ingested_at         timestamptz not null default now(),
  primary key (source, ref)
);

create table survey_answers (
  source         text not null,
  ref            text not null,
  updated_at     timestamptz not null,
  submitted_at   timestamptz not null,
  score          smallint not null check (score between 1 and 5),
  subject_kind   text check (subject_kind in ('ticket','dossier')),
  subject_source text,
  subject_ref    text,
  unit           text,
  ward_code      text,
  comment        text,
  content_hash   text not null,
  ingested_at    timestamptz not null default now(),
  primary key (source, ref)
);
-- A wall's "latest comments" (live/snapshot.sql.ts): the newest commented answers by their own time.
create index survey_answers_commented on survey_answers (submitted_at desc) where btrim(coalesce(comment, '')) <> '';

create table procedures (
  source            text not null,
  ref               text not null,
  updated_at        timestamptz not null,
  code              text not null,
  name              text not null,
  field             text not null,       -- lĩnh vực
  level             text not null check (level in ('full','partial','none')),
  provincial_portal boolean not null,
  national_portal   boolean not null,
  fee_bearing       boolean not null,
  unit              text,
  content_hash      text not null,
  ingested_at       timestamptz not null default now(),
  primary key (source, ref)
);

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

-- Append-only log of every accepted create/update. The live stream publishes it in seq
-- order and replays it to clients that reconnect with the last seq they saw.
create table change_log (
  seq        bigint generated always as identity primary key,
  feed       text not null check (feed in ('tickets','dossiers','surveys','procedures','tasks')),
  source     text not null,
  ref        text not null,
  op         text not null check (op in ('created','updated')),
  ward_code  text,
  item       jsonb not null,  -- the item as stored, in wire shape (personal data stripped on the way out)
  changed_at timestamptz not null default now()
);
create index change_log_changed_at on change_log (changed_at);

-- An Open311 update's own text and photo (FixMyStreet's servicerequestupdates, docs/design.md §2),
-- beside the ticket version it wrote: `seq` is that version's change-log seq, the update_id answered.
create table open311_updates (
  seq         bigint primary key,
  source      text not null,
  ref         text not null,
  external_id text,   -- the sender's own update_id (FixMyStreet's comment id): a repeat is known by it
  description text,   -- the comment as sent (contacts masked when read out)
  media_url   text
);
create index open311_updates_external on open311_updates (source, ref, external_id);

-- ========================================================================================
-- Access

-- Access tokens (docs/design.md §5). Only a SHA-256 of each secret is kept: secrets issued by citydeck
-- are 256-bit random, so a fast hash is enough (a KDF guards low-entropy passwords, not these).
create table access_tokens (
  id           bigint generated always as identity primary key,
  role         text not null,                 -- admin | leader | display | feed:<source>
  label        text,                          -- what the token is for ("wall 1", "API_TOKENS")
  secret_hash  bytea not null unique,
  seeded       boolean not null default false, -- from the API_TOKENS environment variable
  created_at   timestamptz not null default now(),
  last_used_at timestamptz,
  revoked_at   timestamptz
);

-- Browser sessions behind a cookie: opened by exchanging a token (a wall's display token) or,
-- later, by a user's login. Revoking the token ends its sessions.
create table sessions (
  id_hash     bytea primary key,              -- SHA-256 of the cookie value
  role        text not null,
  token_id    bigint references access_tokens (id) on delete cascade,
  subject     text,                           -- user name or token label, for the audit trail
  created_at  timestamptz not null default now(),
  expires_at  timestamptz not null,
  revoked_at  timestamptz
);

-- ========================================================================================
-- Login addresses and the audit log

-- Addresses a user has logged in from: login throttling never slows a name at an address it
-- has used before because of other names' failures there (server/src/access/login-throttle.ts).
create table login_addresses (
  name            text not null,
  ip              text not null,
  last_success_at timestamptz not null,
  primary key (name, ip)
);

-- The audit log (docs/design.md §5): who did what to which token, user, snapshot, directive or alert,
-- when and from where. Append-only: rows are inserted by server/src/access/audit.ts and never
-- changed; a trigger (access/audit-log.sql) refuses UPDATE, DELETE and TRUNCATE for every role but a
-- superuser who first drops it.
create table audit_log (
  id        bigint generated always as identity primary key,
  at        timestamptz not null default now(),
  actor     text,              -- principal label: user name, token label, "cli:<os user>"
  role      text,              -- the actor's role (admin, leader, …, cli, system)
  token_id  bigint,            -- the token it came with, if any (not a foreign key: tokens may go)
  action    text not null,     -- token.create, token.revoke, user.add, snapshot.revoke, …
  target    text,              -- token:7, user:lan, snapshot:<id>
  detail    jsonb not null default '{}',
  address   text               -- client address (after TRUSTED_PROXIES), null from the CLI
);

-- ========================================================================================
-- Users, snapshots and briefings

-- People who log in to the leader view (docs/design.md §5). Passwords are kept only as a scrypt
-- hash with a per-user salt; the parameters travel in the stored string so they can be raised
-- later without invalidating old hashes (see server/src/access/users-password.ts).
create table users (
  id            bigint generated always as identity primary key,
  name          text not null unique,
  role          text not null check (role in ('leader', 'admin') or role ~ '^unit:[A-Za-z0-9._-]{1,64}$'),
  password_hash text not null,                -- scrypt$<N>$<r>$<p>$<salt b64>$<hash b64>
  created_at    timestamptz not null default now(),
  disabled_at   timestamptz
);

-- Failed logins, for throttling guesses per name and per address. Rows older than an hour are
-- useless and deleted by the login path itself.
create table login_failures (
  id    bigint generated always as identity primary key,
  name  text not null,
  ip    text not null,
  at    timestamptz not null default now()
);
create index login_failures_name_at on login_failures (name, at);
create index login_failures_ip_at on login_failures (ip, at);

-- Frozen views (briefings): the data as the leader saw it, rendered later by the same components.
create table snapshots (
  id          text primary key,                -- random, unguessable: the permalink is the capability
  view        text not null,                   -- city | ward | tickets | dossiers
  filters     jsonb not null,
  title       text,
  data        jsonb not null,                  -- KPIs, breakdowns, lists as shown; personal data redacted on read
  created_by  text,                            -- user name or token label
  created_at  timestamptz not null default now(),
  expires_at  timestamptz,
  revoked_at  timestamptz
);

-- Daily briefings: one row per city-local day; the primary key makes sure only one process
-- (of several behind a proxy) produces a given day's briefing.
create table briefings (
  day          date primary key,
  snapshot_id  text references snapshots (id),
  file         text,                            -- PDF path under BRIEFING_DIR
  status       text not null default 'running', -- running | done | failed
  error        text,
  started_at   timestamptz not null default now(),
  finished_at  timestamptz
);

-- ========================================================================================
-- Live stream

-- Live stream storage (docs/design.md §4): SLA alerts, the deadline indexes the SLA timers load from,
-- and the socket.io PostgreSQL adapter's table.

-- SLA alerts, stored so a wall that connects later shows the current ones. One row per
-- (kind, item, deadline): the process whose insert wins raises the alert, so several
-- processes never raise it twice, and a ticket given a new deadline can breach again.
create table alerts (
  id          bigint generated always as identity primary key,
  kind        text not null check (kind in ('ticket_overdue', 'dossier_overdue', 'task_overdue')),
  item_id     text not null,          -- '<source>:<ref>'
  due_at      timestamptz not null,
  ward_code   text,
  title       text,                   -- ticket title or procedure code; never personal data
  raised_at   timestamptz not null,
  resolved_at timestamptz,            -- set when the item closes; the alert is no longer current
  unique (kind, item_id, due_at),
  -- Alerts become owned work (docs/design.md §9): who acknowledged it and when, whether it escalated
  -- (overdue and unacknowledged for ALERT_ESCALATE_MINUTES), and the directive it was given.
  acknowledged_at timestamptz,
  acknowledged_by text,
  escalated_at    timestamptz,
  directed_source text,
  directed_ref    text,
  directed_unit   text,
  directed_due_at timestamptz
);
create index alerts_current on alerts (raised_at) where resolved_at is null;
create index alerts_item on alerts (item_id) where resolved_at is null;

-- The SLA timers keep only deadlines of the next hour in memory and load them from these
-- partial indexes, so a reload reads the few open items due soon, not the whole history.
create index tickets_open_due on tickets (due_at)
  where closed_effective_at is null and status <> 'rejected';
-- A ward wall's most urgent open tickets (live/snapshot.sql.ts, every snapshot): its own range,
-- soonest deadline first, instead of the city's whole list filtered down to the ward. (The open
-- counts come from the KPI rollups, kpi/open-counts.ts.)
create index tickets_open_ward_due on tickets (ward_code, due_at)
  where closed_effective_at is null and status <> 'rejected';
create index dossiers_open_due on dossiers (due_at)
  where finished_at is null and status not in ('withdrawn', 'rejected');
create index tasks_open_due on tasks (due_at) where done_at is null and status <> 'cancelled';

-- @socket.io/postgres-adapter keeps payloads over NOTIFY's 8000-byte limit here.
create table socket_io_attachments (
  id         bigserial unique,
  created_at timestamptz default now(),
  payload    bytea
);

-- ========================================================================================
-- Demo city

-- Progress of the demo simulator (server/src/demo), so a later start sends only what happened
-- since the last run. Nothing else reads these tables; with DEMO=0 they stay empty.

create table demo_state (
  profile    text primary key,        -- the city profile id (one simulated city per profile)
  seed       bigint not null,         -- DEMO_SEED the history was generated with
  epoch      timestamptz not null,    -- start of the simulated history
  reached_at timestamptz,             -- everything up to here has been sent; null until the first backfill finished
  updated_at timestamptz not null default now()
);

-- Each live run made the city busier (DEMO_RATE) from started_at to reached_at; the simulator
-- needs them to regenerate, after a restart, the later updates of items a run created.
create table demo_runs (
  id         bigint generated always as identity primary key,
  profile    text not null,
  started_at timestamptz not null,
  reached_at timestamptz not null,    -- the last tick this run sent
  rate       double precision not null,
  storm      boolean not null
);
create index demo_runs_profile_reached on demo_runs (profile, reached_at);
