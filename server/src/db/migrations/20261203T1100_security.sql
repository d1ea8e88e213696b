-- Security hardening (issue #15; docs/security.md).

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
