-- Feed tables (DESIGN §2). Every item is keyed by (source, ref); updated_at is the item's own
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
  lat          double precision not null,
  lng          double precision not null,
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
  -- DESIGN §3: closed once it has resolvedAt, closedAt or status rejected; the closing time is
  -- the earliest of those (a rejection without a timestamp closes at its updatedAt).
  closed_effective_at timestamptz generated always as
    (least(resolved_at, closed_at, case when status = 'rejected' then updated_at end)) stored,
  content_hash text not null,
  ingested_at  timestamptz not null default now(),
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

-- Append-only log of every accepted create/update. The live stream publishes it in seq
-- order and replays it to clients that reconnect with the last seq they saw.
create table change_log (
  seq        bigint generated always as identity primary key,
  feed       text not null check (feed in ('tickets','dossiers','surveys','procedures')),
  source     text not null,
  ref        text not null,
  op         text not null check (op in ('created','updated')),
  ward_code  text,
  item       jsonb not null,  -- the item as stored, in wire shape (personal data stripped on the way out)
  changed_at timestamptz not null default now()
);
create index change_log_changed_at on change_log (changed_at);
