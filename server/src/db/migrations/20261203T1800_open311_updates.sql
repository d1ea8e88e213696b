-- Open311 as FixMyStreet means it (docs/design.md §2): a report located only by its address has no
-- point; the attributes a report came with are kept; an update's own text and photo are kept
-- beside the ticket version it wrote (see schema.sql).
alter table tickets alter column lat drop not null, alter column lng drop not null;
alter table tickets add column attributes jsonb;

create table open311_updates (
  seq         bigint primary key,
  source      text not null,
  ref         text not null,
  external_id text,
  description text,
  media_url   text
);
create index open311_updates_external on open311_updates (source, ref, external_id);
