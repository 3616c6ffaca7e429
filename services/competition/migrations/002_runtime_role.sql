-- What the running competition service may do: the DML its storage runs and
-- nothing else. competition_app owns nothing, so it cannot create, alter or
-- drop a table, truncate one or disable a trigger; competition_owner, which
-- applies these migrations, is never used to serve.
GRANT USAGE ON SCHEMA competition TO competition_app;
GRANT SELECT ON schema_migrations TO competition_app;
GRANT SELECT, INSERT ON audit_log, contest_state_changes TO competition_app;
-- An entry is withdrawn, never deleted (its trigger says so too).
GRANT SELECT, INSERT, UPDATE ON contests, entries, judges, score_sheets TO competition_app;
-- Assignments can be removed by hand; results are computed again as a whole.
GRANT SELECT, INSERT, DELETE ON assignments TO competition_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON results TO competition_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA competition TO competition_app;
