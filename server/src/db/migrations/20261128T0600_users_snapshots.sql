-- People who log in to the leader view (DESIGN §5). Passwords are kept only as a scrypt
-- hash with a per-user salt; the parameters travel in the stored string so they can be raised
-- later without invalidating old hashes (see server/src/access/users-password.ts).
create table users (
  id            bigint generated always as identity primary key,
  name          text not null unique,
  role          text not null check (role in ('leader', 'admin')),
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
