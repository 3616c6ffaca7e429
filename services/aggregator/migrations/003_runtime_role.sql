-- What the running aggregator may do: the DML its storage runs and nothing
-- else. aggregator_app owns nothing, so it cannot create, alter or drop a
-- table, truncate one or disable a trigger; aggregator_owner, which applies
-- these migrations, is never used to serve.
GRANT USAGE ON SCHEMA aggregator TO aggregator_app;
GRANT SELECT ON schema_migrations TO aggregator_app;
GRANT SELECT, INSERT ON audit_log, report_values TO aggregator_app;
-- A revision is never deleted (its trigger says so too); its review
-- decision is written on it.
GRANT SELECT, INSERT, UPDATE ON reports, report_revisions TO aggregator_app;
-- The feed is pruned after --feed_retention_days.
GRANT SELECT, INSERT, DELETE ON changes TO aggregator_app;
GRANT SELECT, UPDATE ON feed_horizon TO aggregator_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA aggregator TO aggregator_app;
