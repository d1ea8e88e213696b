-- Access tokens (DESIGN §5). Only a SHA-256 of each secret is kept: secrets issued by citydeck
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
