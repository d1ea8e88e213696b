-- Each appending transaction wakes every process tailing the change log (LISTEN
-- citydeck_change_log, changelog.sql.ts listenForAppends); NOTIFY is delivered at commit, so a
-- woken reader sees the rows. Applied on every start (db/migrate.ts).
create or replace function change_log_notify() returns trigger language plpgsql as $$
begin
  perform pg_notify('citydeck_change_log', '');
  return null;
end $$;
create or replace trigger change_log_notify after insert on change_log
  for each statement execute function change_log_notify();
