-- Ranking schema: scoring scheme versions (immutable once defined), the
-- provinces' self-assessments, the position in the aggregator's change feed,
-- and the audit log. Rankings themselves are computed from the aggregator's
-- figures and kept in memory.

-- One version of one year's scoring scheme. Never updated: a revision is a
-- new version.
CREATE TABLE schemes (
  year        int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  version     int NOT NULL CHECK (version >= 1),
  name        text NOT NULL,
  content     jsonb NOT NULL,            -- the Scheme message (protobuf JSON)
  created_at  timestamptz NOT NULL DEFAULT now(),
  created_by  text NOT NULL,
  PRIMARY KEY (year, version)
);

CREATE FUNCTION refuse_scheme_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'scheme versions are immutable: define a new version';
END $$;
CREATE TRIGGER schemes_immutable BEFORE UPDATE OR DELETE ON schemes
  FOR EACH ROW EXECUTE FUNCTION refuse_scheme_change();

-- A province's own score for a period, shown beside the computed one.
CREATE TABLE self_assessments (
  organization_code text NOT NULL,
  period            text NOT NULL,
  scheme_year       int NOT NULL,
  scheme_version    int NOT NULL,
  content           jsonb NOT NULL,      -- the SelfAssessment message
  recorded_at       timestamptz NOT NULL DEFAULT now(),
  recorded_by       text NOT NULL,
  PRIMARY KEY (organization_code, period),
  FOREIGN KEY (scheme_year, scheme_version) REFERENCES schemes (year, version)
);

-- How far the aggregator's change feed has been applied.
CREATE TABLE feed_cursor (
  id            int PRIMARY KEY CHECK (id = 1),
  last_sequence bigint NOT NULL,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO feed_cursor (id, last_sequence) VALUES (1, 0);
