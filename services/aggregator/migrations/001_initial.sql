-- Aggregator schema: every revision ever received (immutable), the current
-- standing of each (organisation, period), the values of each revision, the
-- ordered change feed, and the audit log. Enum columns hold proto numbers.

-- Every revision received from a provincial system. Never updated except the
-- review decision on it, which is set once (and recorded in `changes`).
CREATE TABLE report_revisions (
  organization_code text NOT NULL,
  period            text NOT NULL,
  revision          int  NOT NULL CHECK (revision >= 1),
  content_hash      text NOT NULL,
  payload           jsonb NOT NULL,
  submitted_at      timestamptz NOT NULL,
  submitted_by      text NOT NULL,
  received_at       timestamptz NOT NULL DEFAULT now(),
  received_from     text NOT NULL,
  decision          smallint,
  decision_comment  text NOT NULL DEFAULT '',
  decided_at        timestamptz,
  decided_by        text NOT NULL DEFAULT '',
  PRIMARY KEY (organization_code, period, revision)
);

-- The values of each revision, one row per indicator, for figures.
CREATE TABLE report_values (
  organization_code text NOT NULL,
  period            text NOT NULL,
  revision          int  NOT NULL,
  indicator         text NOT NULL,
  value             double precision NOT NULL,
  PRIMARY KEY (organization_code, period, revision, indicator)
);

-- Where each (organisation, period) stands now.
CREATE TABLE reports (
  organization_code  text NOT NULL,
  period             text NOT NULL,
  state              smallint NOT NULL,
  latest_revision    int NOT NULL,
  accepted_revision  int NOT NULL DEFAULT 0,
  first_submitted_at timestamptz NOT NULL,
  due_date           date NOT NULL,
  timely             boolean NOT NULL,
  last_sequence      bigint NOT NULL,
  PRIMARY KEY (organization_code, period)
);
CREATE INDEX reports_period ON reports (period);

-- The ordered feed of changes: review decisions flow back to provinces from
-- here, and dashboards and rankings follow it.
CREATE TABLE changes (
  sequence          bigserial PRIMARY KEY,
  organization_code text NOT NULL,
  period            text NOT NULL,
  revision          int NOT NULL,
  state             smallint NOT NULL,
  event             text NOT NULL,
  comment           text NOT NULL DEFAULT '',
  at                timestamptz NOT NULL DEFAULT now(),
  actor             text NOT NULL
);
CREATE INDEX changes_org ON changes (organization_code, sequence);

CREATE TRIGGER report_revisions_no_delete BEFORE DELETE ON report_revisions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
