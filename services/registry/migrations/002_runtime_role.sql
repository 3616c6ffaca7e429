-- What the running registry may do: the DML its storage runs and nothing
-- else. registry_app owns nothing, so it cannot create, alter or drop a
-- table, truncate one or disable a trigger; registry_owner, which applies
-- these migrations, is never used to serve. The history tables are written
-- once: SELECT and INSERT only, like the audit log.
GRANT USAGE ON SCHEMA registry TO registry_app;
GRANT SELECT ON schema_migrations TO registry_app;
GRANT SELECT, INSERT ON audit_log, organization_revisions, mergers, merger_predecessors,
  cluster_revisions, congress_members, congress_events TO registry_app;
GRANT SELECT, INSERT, UPDATE ON organizations, clusters, congress_terms TO registry_app;
-- A cluster's members are replaced as a whole when it is updated.
GRANT SELECT, INSERT, DELETE ON cluster_members TO registry_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA registry TO registry_app;
