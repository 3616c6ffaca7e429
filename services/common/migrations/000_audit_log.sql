-- Applied to every service's schema before its own migrations (see
-- fed::ApplyMigrations): the append-only audit log that fed::AppendAudit
-- writes, and refuse_change(), the trigger function services use to make
-- their own history tables append-only.

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END $$;

-- Who wrote what, when.
CREATE TABLE audit_log (
  id          bigserial PRIMARY KEY,
  at          timestamptz NOT NULL DEFAULT now(),
  subject     text NOT NULL,
  role        smallint NOT NULL,
  actor_org   text NOT NULL,
  action      text NOT NULL,
  target      text NOT NULL,
  detail      jsonb NOT NULL
);
CREATE INDEX audit_log_target ON audit_log (target, id);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
