-- What the running ranking service may do: the DML its storage runs and
-- nothing else. ranking_app owns nothing, so it cannot create, alter or drop
-- a table, truncate one or disable a trigger; ranking_owner, which applies
-- these migrations, is never used to serve. A scheme version is immutable.
GRANT USAGE ON SCHEMA ranking TO ranking_app;
GRANT SELECT ON schema_migrations TO ranking_app;
GRANT SELECT, INSERT ON audit_log, schemes TO ranking_app;
GRANT SELECT, INSERT, UPDATE ON self_assessments TO ranking_app;
GRANT SELECT, UPDATE ON feed_cursor TO ranking_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA ranking TO ranking_app;
