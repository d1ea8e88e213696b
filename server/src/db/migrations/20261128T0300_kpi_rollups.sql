-- KPI rollups (DESIGN §3), maintained by triggers so they stay exact whichever code path
-- writes the feed tables. See server/src/kpi/README section "KPIs" in the repo README.
--
-- Every KPI is a difference of prefix sums: C(to) - C(from), where C(t) sums the events
-- that happened strictly before t. Each feed row is expanded into timed events (+1 received
-- at received_at, -1 "no longer open" at its closing time, ...), see kpi_*_events below. A
-- prefix (-inf, t) is read as: whole UTC years before t, whole months of t's year, whole
-- days of t's month, whole hours of t's day, then the raw rows for [hour(t), t). So a query
-- reads at most ~70 buckets per side, whatever the window length or the history size.
--
-- Buckets are UTC-aligned (date_trunc(..., 'UTC')): no time zone inside the database. Local
-- days of a whole-hour-offset zone (Asia/Ho_Chi_Minh) are whole UTC hours, so they read no
-- raw rows; other zones stay exact through the raw edge.
--
-- `scope` pre-aggregates the dimensions so city-wide and per-ward reads touch one row per
-- bucket: 0 = per (ward, unit, category), 1 = per ward (unit, category null), 2 = the whole
-- city (all dimensions null). Null dimensions of scope 0 are real "not given" values.

create function kpi_bucket_ranges(t timestamptz)
returns table (grain text, lo timestamptz, hi timestamptz)
language sql immutable parallel safe as $$
  values ('year',  '-infinity'::timestamptz,        date_trunc('year', t, 'UTC')),
         ('month', date_trunc('year', t, 'UTC'),  date_trunc('month', t, 'UTC')),
         ('day',   date_trunc('month', t, 'UTC'), date_trunc('day', t, 'UTC')),
         ('hour',  date_trunc('day', t, 'UTC'),   date_trunc('hour', t, 'UTC'))
$$;
comment on function kpi_bucket_ranges is
  'The rollup buckets that tile (-infinity, hour(t)): per grain, buckets with lo <= bucket < hi.';

-- Resolve-time histogram bin (DDSketch-style log bins, relative accuracy 1%): bin i > 0 holds
-- minutes in [m0 * g^(i-1), m0 * g^i) with m0 = 1 second and g = 1.01 / 0.99; bin 0 holds
-- |duration| < 1 s; negative durations (bad data) mirror into negative bins.
create function kpi_resolve_bin(d interval)
returns integer language sql immutable parallel safe as $$
  select case
    when abs(extract(epoch from d)) < 1 then 0
    else (sign(extract(epoch from d))
          * (1 + floor(ln(abs(extract(epoch from d))::float8) / ln(1.01 / 0.99::float8))))::integer
  end
$$;

-- ---------------------------------------------------------------- tickets
create table kpi_ticket_rollup (
  scope            smallint not null check (scope in (0, 1, 2)),
  grain            text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket           timestamptz not null,
  ward_code        text collate "C",
  unit             text collate "C",
  category         text collate "C",
  received         integer not null default 0,
  resolved         integer not null default 0,
  resolved_on_time integer not null default 0,
  open_delta       integer not null default 0,
  overdue_delta    integer not null default 0,
  constraint kpi_ticket_rollup_key unique nulls not distinct (scope, grain, bucket, ward_code, unit, category)
);
comment on table kpi_ticket_rollup is 'Ticket KPI events summed per UTC bucket and scope (see the file header).';
comment on column kpi_ticket_rollup.scope is '0: per ward+unit+category; 1: per ward; 2: city-wide';
comment on column kpi_ticket_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_ticket_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_ticket_rollup.received is 'Tickets with received_at in the bucket';
comment on column kpi_ticket_rollup.resolved is 'Tickets with resolved_at in the bucket';
comment on column kpi_ticket_rollup.resolved_on_time is 'Of those, resolved_at <= due_at';
comment on column kpi_ticket_rollup.open_delta is
  '+1 at received_at, -1 at greatest(received_at, closed_effective_at): prefix sum = open at t';
comment on column kpi_ticket_rollup.overdue_delta is
  '+1 at greatest(received_at, due_at), -1 at greatest(received_at, due_at, closed_effective_at): prefix sum = open and overdue at t';

create table kpi_ticket_resolve_hist (
  scope     smallint not null check (scope in (0, 1, 2)),
  grain     text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket    timestamptz not null,
  ward_code text collate "C",
  unit      text collate "C",
  category  text collate "C",
  bin       integer not null,
  n         integer not null default 0,
  constraint kpi_ticket_resolve_hist_key
    unique nulls not distinct (scope, grain, bucket, ward_code, unit, category, bin) include (n)
);
comment on table kpi_ticket_resolve_hist is
  'Histogram of resolved_at - received_at (kpi_resolve_bin) of tickets resolved in the bucket, for the median';
comment on column kpi_ticket_resolve_hist.bin is 'kpi_resolve_bin(resolved_at - received_at)';
comment on column kpi_ticket_resolve_hist.n is 'Tickets resolved in the bucket with that bin';

-- The timed events of one ticket; `at` null means "no such event" and is filtered out. Takes
-- columns, not the row, so it inlines into plain column expressions (fast for rebuilds).
create function kpi_ticket_events(received_at timestamptz, due_at timestamptz,
                                  resolved_at timestamptz, closed_effective_at timestamptz)
returns table (at timestamptz, received integer, resolved integer, resolved_on_time integer,
               open_delta integer, overdue_delta integer, bin integer)
language sql immutable parallel safe as $$
  select e.* from (values
    (received_at, 1, 0, 0, 1, 0, null::integer),
    (resolved_at, 0, 1, (resolved_at <= due_at)::integer, 0, 0, kpi_resolve_bin(resolved_at - received_at)),
    (case when closed_effective_at is not null then greatest(received_at, closed_effective_at) end,
       0, 0, 0, -1, 0, null),
    (greatest(received_at, due_at), 0, 0, 0, 0, 1, null),
    (case when closed_effective_at is not null then greatest(received_at, due_at, closed_effective_at) end,
       0, 0, 0, 0, -1, null)
  ) e(at, received, resolved, resolved_on_time, open_delta, overdue_delta, bin)
  where e.at is not null
$$;

-- ---------------------------------------------------------------- dossiers
create table kpi_dossier_rollup (
  scope              smallint not null check (scope in (0, 1, 2)),
  grain              text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket             timestamptz not null,
  ward_code          text collate "C",
  unit               text collate "C",
  received           integer not null default 0,
  received_online    integer not null default 0,
  digitized_input    integer not null default 0,
  paid_online        integer not null default 0,
  paid_known         integer not null default 0,
  finished           integer not null default 0,
  finished_on_time   integer not null default 0,
  digitized_result   integer not null default 0,
  processing_seconds numeric not null default 0,
  open_delta         integer not null default 0,
  overdue_delta      integer not null default 0,
  constraint kpi_dossier_rollup_key unique nulls not distinct (scope, grain, bucket, ward_code, unit)
);
comment on table kpi_dossier_rollup is 'Dossier KPI events summed per UTC bucket and scope (see the file header).';
comment on column kpi_dossier_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide';
comment on column kpi_dossier_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_dossier_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_dossier_rollup.received is 'Dossiers with received_at in the bucket';
comment on column kpi_dossier_rollup.received_online is 'Of those, channel = online';
comment on column kpi_dossier_rollup.digitized_input is 'Of those, digitized_input';
comment on column kpi_dossier_rollup.paid_online is 'Of those, paid_online = true';
comment on column kpi_dossier_rollup.paid_known is 'Of those, paid_online not null';
comment on column kpi_dossier_rollup.finished is 'Dossiers with finished_at in the bucket';
comment on column kpi_dossier_rollup.finished_on_time is 'Of those, finished_at <= due_at';
comment on column kpi_dossier_rollup.digitized_result is 'Of those, digitized_result';
comment on column kpi_dossier_rollup.processing_seconds is
  'Of those, the exact sum of finished_at - received_at in seconds';
comment on column kpi_dossier_rollup.open_delta is
  'Not withdrawn/rejected: +1 at received_at, -1 at greatest(received_at, finished_at)';
comment on column kpi_dossier_rollup.overdue_delta is
  'Not withdrawn/rejected: +1 at greatest(received_at, due_at), -1 at greatest(received_at, due_at, finished_at)';

-- The timed events of one dossier (columns, not the row, for the same reason as tickets).
create function kpi_dossier_events(received_at timestamptz, due_at timestamptz, finished_at timestamptz,
                                   status text, channel text, digitized_input boolean,
                                   digitized_result boolean, paid_online boolean)
returns table (at timestamptz, received integer, received_online integer, digitized_input integer,
               paid_online integer, paid_known integer, finished integer, finished_on_time integer,
               digitized_result integer, processing_seconds numeric, open_delta integer,
               overdue_delta integer)
language sql immutable parallel safe as $$
  select e.* from (values
    (received_at, 1, (channel = 'online')::integer, coalesce(digitized_input, false)::integer,
       coalesce(paid_online, false)::integer, (paid_online is not null)::integer,
       0, 0, 0, 0::numeric, 0, 0),
    (finished_at, 0, 0, 0, 0, 0, 1, (finished_at <= due_at)::integer,
       coalesce(digitized_result, false)::integer, extract(epoch from finished_at - received_at), 0, 0),
    (case when status not in ('withdrawn', 'rejected') then received_at end,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0),
    (case when status not in ('withdrawn', 'rejected') and finished_at is not null
       then greatest(received_at, finished_at) end, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1, 0),
    (case when status not in ('withdrawn', 'rejected') then greatest(received_at, due_at) end,
       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
    (case when status not in ('withdrawn', 'rejected') and finished_at is not null
       then greatest(received_at, due_at, finished_at) end, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, -1)
  ) e(at, received, received_online, digitized_input, paid_online, paid_known, finished,
      finished_on_time, digitized_result, processing_seconds, open_delta, overdue_delta)
  where e.at is not null
$$;

-- ---------------------------------------------------------------- survey answers
create table kpi_survey_rollup (
  scope     smallint not null check (scope in (0, 1, 2)),
  grain     text not null check (grain in ('hour', 'day', 'month', 'year')),
  bucket    timestamptz not null,
  ward_code text collate "C",
  unit      text collate "C",
  responses integer not null default 0,
  satisfied integer not null default 0,
  score_sum integer not null default 0,
  constraint kpi_survey_rollup_key unique nulls not distinct (scope, grain, bucket, ward_code, unit)
);
comment on table kpi_survey_rollup is 'Survey answers summed per UTC bucket of submitted_at and scope.';
comment on column kpi_survey_rollup.scope is '0: per ward+unit; 1: per ward; 2: city-wide';
comment on column kpi_survey_rollup.grain is 'Bucket length: hour, day, month or year (UTC-aligned)';
comment on column kpi_survey_rollup.bucket is 'Start of the bucket (date_trunc(grain, t, ''UTC''))';
comment on column kpi_survey_rollup.responses is 'Answers submitted in the bucket';
comment on column kpi_survey_rollup.satisfied is 'Of those, score >= 4';
comment on column kpi_survey_rollup.score_sum is 'Sum of their scores';

-- Indexes for the raw edge [hour(t), t): every event time is one of these columns.
create index tickets_received_at on tickets (received_at);
create index tickets_resolved_at on tickets (resolved_at);
create index tickets_due_at on tickets (due_at);
create index tickets_closed_effective_at on tickets (closed_effective_at);
create index dossiers_received_at on dossiers (received_at);
create index dossiers_finished_at on dossiers (finished_at);
create index dossiers_due_at on dossiers (due_at);
create index survey_answers_submitted_at on survey_answers (submitted_at);
