-- Emulation years. A year is one record (the EmulationYear message) that
-- every step changes as a whole under a row lock; every revision of it is
-- kept, never changed, so nothing a cluster recorded is ever overwritten.
-- Files (evidence, signed documents) are kept once per content. Awards are
-- kept apart too, so a report's pre-fill finds an organisation's awards
-- without reading every year.

CREATE TABLE years (
  id             bigserial PRIMARY KEY,
  organiser_code text NOT NULL,
  year           int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  cluster_number int NOT NULL CHECK (cluster_number BETWEEN 1 AND 99),
  state          text NOT NULL,
  revision       int NOT NULL CHECK (revision >= 1),
  content        bytea NOT NULL,         -- the EmulationYear message
  updated_at     timestamptz NOT NULL DEFAULT now(),
  UNIQUE (organiser_code, year, cluster_number)
);

-- Every revision of every year, as it was after each change.
CREATE TABLE year_revisions (
  year_id    bigint NOT NULL REFERENCES years (id),
  revision   int NOT NULL,
  action     text NOT NULL,              -- the method that made it, e.g. "RecordBallot"
  content    bytea NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by text NOT NULL,
  PRIMARY KEY (year_id, revision)
);

CREATE FUNCTION refuse_history_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the history of an emulation year is never changed';
END $$;
CREATE TRIGGER year_revisions_append_only BEFORE UPDATE OR DELETE ON year_revisions
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

-- Uploaded files, by content. A file belongs to the year it was uploaded for.
CREATE TABLE files (
  year_id     bigint NOT NULL REFERENCES years (id),
  sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  name        text NOT NULL,
  media_type  text NOT NULL,
  content     bytea NOT NULL,
  uploaded_at timestamptz NOT NULL DEFAULT now(),
  uploaded_by text NOT NULL,
  uploader_organization text NOT NULL,   -- whose quota it counts in
  PRIMARY KEY (year_id, sha256)
);
CREATE INDEX files_by_uploader ON files (year_id, uploader_organization);
CREATE TRIGGER files_append_only BEFORE UPDATE OR DELETE ON files
  FOR EACH ROW EXECUTE FUNCTION refuse_history_change();

-- The awards of every year as they stand (rewritten with the year's record).
CREATE TABLE awards (
  year_id           bigint NOT NULL REFERENCES years (id),
  organization_code text NOT NULL,
  kind              text NOT NULL,
  state             text NOT NULL,
  decided_year      int,                  -- the calendar year of the decision
  content           bytea NOT NULL,       -- the Award message
  PRIMARY KEY (year_id, organization_code, kind)
);
CREATE INDEX awards_by_organization ON awards (organization_code, decided_year);
