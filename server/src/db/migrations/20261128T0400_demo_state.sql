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
