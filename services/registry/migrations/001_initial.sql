-- Registry schema: organisations with their history, mergers, emulation
-- clusters per year, congress terms and leadership, and the audit log.
-- Enum columns hold the proto enum numbers (federation/v1/*.proto).

CREATE TABLE organizations (
  id                 bigserial PRIMARY KEY,
  code               text NOT NULL UNIQUE,
  kind               smallint NOT NULL CHECK (kind BETWEEN 1 AND 5),
  name               text NOT NULL,
  short_name         text NOT NULL DEFAULT '',
  parent_id          bigint REFERENCES organizations(id),
  founded_on         date,
  field              text NOT NULL DEFAULT '',
  member_count       bigint NOT NULL DEFAULT 0 CHECK (member_count >= 0),
  intellectual_count bigint NOT NULL DEFAULT 0
                     CHECK (intellectual_count >= 0 AND intellectual_count <= member_count),
  status             smallint NOT NULL CHECK (status BETWEEN 1 AND 3),
  region             text NOT NULL DEFAULT '',
  active_from        date NOT NULL,
  active_until       date CHECK (active_until IS NULL OR active_until > active_from),
  successor_id       bigint REFERENCES organizations(id),
  revision           bigint NOT NULL DEFAULT 1,
  updated_at         timestamptz NOT NULL DEFAULT now(),
  updated_by         text NOT NULL
);
CREATE INDEX organizations_parent ON organizations (parent_id);
CREATE INDEX organizations_kind_active ON organizations (kind, active_from, active_until);

-- Every state an organisation has been in, as protobuf JSON; append-only.
CREATE TABLE organization_revisions (
  organization_id bigint NOT NULL REFERENCES organizations(id),
  revision        bigint NOT NULL,
  change          text NOT NULL,
  note            text NOT NULL DEFAULT '',
  snapshot        jsonb NOT NULL,
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  recorded_by     text NOT NULL,
  PRIMARY KEY (organization_id, revision)
);

CREATE TABLE mergers (
  id           bigserial PRIMARY KEY,
  successor_id bigint NOT NULL REFERENCES organizations(id),
  effective_on date NOT NULL,
  decision     text NOT NULL DEFAULT '',
  recorded_at  timestamptz NOT NULL DEFAULT now(),
  recorded_by  text NOT NULL
);

-- An organisation can be merged away only once; the continuing successor may
-- be listed too (it keeps its code), so uniqueness is on (merger, org) plus
-- a partial rule enforced by the service for non-continuing predecessors.
CREATE TABLE merger_predecessors (
  merger_id       bigint NOT NULL REFERENCES mergers(id),
  organization_id bigint NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (merger_id, organization_id)
);
CREATE INDEX merger_predecessors_org ON merger_predecessors (organization_id);

CREATE TABLE clusters (
  id         bigserial PRIMARY KEY,
  year       int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  number     int NOT NULL CHECK (number BETWEEN 1 AND 99),
  name       text NOT NULL,
  head_id    bigint REFERENCES organizations(id),
  deputy_id  bigint REFERENCES organizations(id),
  revision   bigint NOT NULL DEFAULT 1,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  UNIQUE (year, number)
);

-- A province is in exactly one cluster per year: UNIQUE (year, organization_id).
CREATE TABLE cluster_members (
  cluster_id      bigint NOT NULL REFERENCES clusters(id),
  year            int NOT NULL,
  organization_id bigint NOT NULL REFERENCES organizations(id),
  PRIMARY KEY (cluster_id, organization_id),
  UNIQUE (year, organization_id)
);

CREATE TABLE cluster_revisions (
  cluster_id  bigint NOT NULL REFERENCES clusters(id),
  revision    bigint NOT NULL,
  snapshot    jsonb NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  recorded_by text NOT NULL,
  PRIMARY KEY (cluster_id, revision)
);

CREATE TABLE congress_terms (
  id               bigserial PRIMARY KEY,
  organization_id  bigint NOT NULL REFERENCES organizations(id),
  term_number      int NOT NULL CHECK (term_number BETWEEN 1 AND 99),
  start_year       int NOT NULL,
  end_year         int NOT NULL CHECK (end_year >= start_year),
  extended_to_year int CHECK (extended_to_year IS NULL OR extended_to_year > end_year),
  held_on          date,
  state            smallint NOT NULL CHECK (state BETWEEN 1 AND 4),
  decision_number  text NOT NULL DEFAULT '',
  decision_date    date,
  return_reason    text NOT NULL DEFAULT '',
  members_revision int NOT NULL DEFAULT 1,
  UNIQUE (organization_id, term_number)
);

-- Every list of elected members ever recorded for a term; the current one is
-- congress_terms.members_revision.
CREATE TABLE congress_members (
  term_id   bigint NOT NULL REFERENCES congress_terms(id),
  revision  int NOT NULL,
  seq       int NOT NULL,
  full_name text NOT NULL,
  committee smallint NOT NULL CHECK (committee BETWEEN 1 AND 3),
  position  smallint NOT NULL CHECK (position BETWEEN 1 AND 5),
  PRIMARY KEY (term_id, revision, seq)
);

CREATE TABLE congress_events (
  id      bigserial PRIMARY KEY,
  term_id bigint NOT NULL REFERENCES congress_terms(id),
  event   text NOT NULL,
  detail  text NOT NULL DEFAULT '',
  actor   text NOT NULL,
  at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX congress_events_term ON congress_events (term_id, id);
