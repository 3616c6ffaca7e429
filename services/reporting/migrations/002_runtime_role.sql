-- What the running reporting service may do: the DML its storage runs and
-- nothing else. reporting_app owns nothing, so it cannot create, alter or
-- drop a table, truncate one or disable a trigger; reporting_owner, which
-- applies these migrations, is never used to serve.
GRANT USAGE ON SCHEMA reporting TO reporting_app;
GRANT SELECT ON schema_migrations TO reporting_app;
GRANT SELECT, INSERT ON audit_log, report_events TO reporting_app;
-- A revision is never deleted; its review decision is written on it (the
-- trigger keeps the submitted content as it was).
GRANT SELECT, INSERT, UPDATE ON reports, drafts, revisions, outbox TO reporting_app;
GRANT SELECT, UPDATE ON forwarder_state TO reporting_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA reporting TO reporting_app;
