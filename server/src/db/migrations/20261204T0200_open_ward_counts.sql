-- Open and overdue counts per ward from an index alone (see schema.sql, tickets_open_ward_due).
create index tickets_open_ward_due on tickets (ward_code, due_at)
  where closed_effective_at is null and status <> 'rejected';
