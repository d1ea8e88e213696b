-- The audit log is append-only (docs/design.md §5): applied on every start (db/migrate.ts).
create or replace function audit_log_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'audit_log is append-only: % is not allowed', tg_op;
end $$;

create or replace trigger audit_log_no_update before update or delete on audit_log
  for each row execute function audit_log_append_only();
create or replace trigger audit_log_no_truncate before truncate on audit_log
  for each statement execute function audit_log_append_only();
