-- The KPI engine's pure functions (docs/design.md §3): which rollup buckets tile a prefix, the
-- resolve-time histogram bin, and the timed events each feed row expands into. The triggers
-- (every ingest), the fold, the raw edges of queries and kpi_rebuild_rollups() all expand rows
-- through these, so there is one definition of what a row counts for. Events are built with
-- unnest over arrays: a VALUES list under LATERAL rebuilds its expression trees for every
-- outer row, unnest's array arguments are compiled once.

create or replace function kpi_bucket_ranges(t timestamptz)
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
create or replace function kpi_resolve_bin(d interval)
returns integer language sql immutable parallel safe as $$
  select case
    when abs(extract(epoch from d)) < 1 then 0
    else (sign(extract(epoch from d))
          * (1 + floor(ln(abs(extract(epoch from d))::float8) / ln(1.01 / 0.99::float8))))::integer
  end
$$;

-- The timed events of one ticket; `at` null means "no such event" and is filtered out. Takes
-- columns, not the row, so it inlines into plain column expressions (fast for rebuilds).
create or replace function kpi_ticket_events(received_at timestamptz, due_at timestamptz,
                                             resolved_at timestamptz, closed_effective_at timestamptz)
returns table (at timestamptz, received integer, resolved integer, resolved_on_time integer,
               open_delta integer, overdue_delta integer, bin integer)
language sql immutable parallel safe as $$
  select * from unnest(
    array[received_at,
          resolved_at,
          case when closed_effective_at is not null then greatest(received_at, closed_effective_at) end,
          greatest(received_at, due_at),
          case when closed_effective_at is not null then greatest(received_at, due_at, closed_effective_at) end],
    array[1, 0, 0, 0, 0],
    array[0, 1, 0, 0, 0],
    array[0, (resolved_at <= due_at)::integer, 0, 0, 0],
    array[1, 0, -1, 0, 0],
    array[0, 0, 0, 1, -1],
    array[null, kpi_resolve_bin(resolved_at - received_at), null, null, null]::integer[]
  ) e(at, received, resolved, resolved_on_time, open_delta, overdue_delta, bin)
  where e.at is not null
$$;

-- The timed events of one dossier (columns, not the row, for the same reason as tickets).
create or replace function kpi_dossier_events(received_at timestamptz, due_at timestamptz, finished_at timestamptz,
                                              status text, channel text, digitized_input boolean,
                                              digitized_result boolean, paid_online boolean)
returns table (at timestamptz, received integer, received_online integer, digitized_input integer,
               paid_online integer, paid_known integer, finished integer, finished_on_time integer,
               digitized_result integer, processing_seconds numeric, open_delta integer,
               overdue_delta integer)
language sql immutable parallel safe as $$
  select * from unnest(
    array[received_at,
          finished_at,
          case when status not in ('withdrawn', 'rejected') then received_at end,
          case when status not in ('withdrawn', 'rejected') and finished_at is not null
            then greatest(received_at, finished_at) end,
          case when status not in ('withdrawn', 'rejected') then greatest(received_at, due_at) end,
          case when status not in ('withdrawn', 'rejected') and finished_at is not null
            then greatest(received_at, due_at, finished_at) end],
    array[1, 0, 0, 0, 0, 0],
    array[(channel = 'online')::integer, 0, 0, 0, 0, 0],
    array[coalesce(digitized_input, false)::integer, 0, 0, 0, 0, 0],
    array[coalesce(paid_online, false)::integer, 0, 0, 0, 0, 0],
    array[(paid_online is not null)::integer, 0, 0, 0, 0, 0],
    array[0, 1, 0, 0, 0, 0],
    array[0, (finished_at <= due_at)::integer, 0, 0, 0, 0],
    array[0, coalesce(digitized_result, false)::integer, 0, 0, 0, 0],
    array[0, extract(epoch from finished_at - received_at), 0, 0, 0, 0]::numeric[],
    array[0, 0, 1, -1, 0, 0],
    array[0, 0, 0, 0, 1, -1]
  ) e(at, received, received_online, digitized_input, paid_online, paid_known, finished,
      finished_on_time, digitized_result, processing_seconds, open_delta, overdue_delta)
  where e.at is not null
$$;

-- The timed events of one task (docs/design.md §9): issued, done (on time: done_at <= due_at), and, for
-- a task not cancelled, open from issued_at until done_at and overdue from due_at until done_at
-- (each clamped to start no earlier than issued_at, like tickets and dossiers).
create or replace function kpi_task_events(issued_at timestamptz, due_at timestamptz, done_at timestamptz,
                                           cancelled boolean)
returns table (at timestamptz, issued integer, done integer, done_on_time integer, open_delta integer,
               overdue_delta integer)
language sql immutable parallel safe as $$
  select * from unnest(
    array[issued_at,
          done_at,
          case when not cancelled then issued_at end,
          case when not cancelled and done_at is not null then greatest(issued_at, done_at) end,
          case when not cancelled then greatest(issued_at, due_at) end,
          case when not cancelled and done_at is not null then greatest(issued_at, due_at, done_at) end],
    array[1, 0, 0, 0, 0, 0],
    array[0, 1, 0, 0, 0, 0],
    array[0, (done_at <= due_at)::integer, 0, 0, 0, 0],
    array[0, 0, 1, -1, 0, 0],
    array[0, 0, 0, 0, 1, -1]
  ) e(at, issued, done, done_on_time, open_delta, overdue_delta)
  where e.at is not null
$$;
