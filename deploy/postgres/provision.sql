-- One service's schema in the current database, owned by the service's
-- owner role. Run by an administrator (tools/dev runs it on every start) with
--   psql -v schema=registry -v owner=registry_owner -f provision.sql
-- once per service; the roles must exist (CREATE ROLE registry_owner LOGIN,
-- registry_app LOGIN) and, on a managed server whose administrator is not a
-- superuser, be granted to the administrator first (GRANT registry_owner TO
-- <admin>), which ALTER ... OWNER needs. Idempotent.
--
-- The owner role applies the service's migrations, which grant its runtime
-- role (<schema>_app) the DML it needs and nothing else (README, "Database
-- roles").

SELECT format('CREATE SCHEMA %I AUTHORIZATION %I', :'schema', :'owner')
  WHERE NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = :'schema') \gexec

-- A schema made before the roles existed belonged to the administrator, and
-- so did its tables (their sequences and indexes follow them) and functions.
SELECT format('ALTER SCHEMA %I OWNER TO %I', :'schema', :'owner')
  FROM pg_namespace
  WHERE nspname = :'schema' AND pg_get_userbyid(nspowner) <> :'owner' \gexec
SELECT format('ALTER TABLE %I.%I OWNER TO %I', n.nspname, c.relname, :'owner')
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE n.nspname = :'schema' AND c.relkind IN ('r', 'p', 'v', 'm')
    AND pg_get_userbyid(c.relowner) <> :'owner' \gexec
SELECT format('ALTER FUNCTION %s OWNER TO %I', p.oid::regprocedure, :'owner')
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE n.nspname = :'schema' AND pg_get_userbyid(p.proowner) <> :'owner' \gexec
