-- What the running emulation service may do: the DML its storage runs and
-- nothing else. emulation_app owns nothing, so it cannot alter a table or
-- disable the triggers that keep history; emulation_owner, which applies
-- these migrations, is never used to serve.
GRANT USAGE ON SCHEMA emulation TO emulation_app;
GRANT SELECT ON schema_migrations TO emulation_app;
GRANT SELECT, INSERT ON audit_log, year_revisions, files TO emulation_app;
GRANT SELECT, INSERT, UPDATE ON years TO emulation_app;
-- An award's row follows its year's record (decided, presented, revoked).
GRANT SELECT, INSERT, UPDATE, DELETE ON awards TO emulation_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA emulation TO emulation_app;
