-- Databases created by the migrations journal of 20261128 (before the squash into db/schema.sql
-- and kpi/sql/) hold the same tables; only these comments named migration files that are gone.
comment on table kpi_ticket_pending is
  'Ticket versions whose KPI events are not yet in the rollups (fold.sql): `n` times the events of these columns';
comment on table kpi_dossier_pending is
  'Dossier versions whose KPI events are not yet in the rollups (fold.sql): `n` times the events of these columns';
comment on table kpi_survey_pending is
  'Survey answers not yet in the rollups (fold.sql): `n` times this answer';
