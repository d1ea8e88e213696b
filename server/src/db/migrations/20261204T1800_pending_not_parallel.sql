-- The pending KPI tables are never scanned in parallel (see kpi/sql/tables.sql).
alter table kpi_ticket_pending set (parallel_workers = 0);
alter table kpi_dossier_pending set (parallel_workers = 0);
alter table kpi_survey_pending set (parallel_workers = 0);
alter table kpi_task_pending set (parallel_workers = 0);
