-- A wall's "latest comments" are the newest commented answers by their own time (submitted_at),
-- not the last ones written to the change log (a backfill writes history newest first).
create index survey_answers_commented on survey_answers (submitted_at desc) where btrim(coalesce(comment, '')) <> '';
