-- Reporting schema: a province's reports (one row per organisation and
-- period), the one mutable draft of each, the immutable submitted revisions,
-- every state change as an event, the outbox the forwarder pushes to the
-- national aggregator, the forwarder's cursor in the aggregator's change
-- feed, and the audit log.
-- Enum columns hold the proto enum numbers (federation/v1/report.proto).

CREATE TABLE reports (
  id                 bigserial PRIMARY KEY,
  organization_code  text NOT NULL,
  period             text NOT NULL,
  -- ReportState: 1 draft (never submitted), 2 submitted, 3 accepted, 4 returned.
  state              smallint NOT NULL CHECK (state BETWEEN 1 AND 4),
  latest_revision    int NOT NULL DEFAULT 0 CHECK (latest_revision >= 0),
  -- Due date of the period and when revision 1 was submitted (timeliness).
  due_date           date NOT NULL,
  first_submitted_at timestamptz,
  created_at         timestamptz NOT NULL DEFAULT now(),
  created_by         text NOT NULL,
  UNIQUE (organization_code, period)
);

-- The draft: the only content that is ever edited. Kept after a submission
-- so that it can be corrected after a return.
CREATE TABLE drafts (
  report_id       bigint PRIMARY KEY REFERENCES reports(id),
  -- The Report (values, narrative) as protobuf JSON.
  content         jsonb NOT NULL,
  catalog_version int NOT NULL,
  saves           bigint NOT NULL DEFAULT 1,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  updated_by      text NOT NULL
);

-- Every submitted revision, never overwritten: only the review columns
-- change, when a decision arrives from the aggregator (and each such change
-- is also recorded in report_events). The trigger below enforces it.
CREATE TABLE revisions (
  report_id       bigint NOT NULL REFERENCES reports(id),
  revision        int NOT NULL CHECK (revision >= 1),
  content         jsonb NOT NULL,
  catalog_version int NOT NULL,
  submitted_at    timestamptz NOT NULL DEFAULT now(),
  submitted_by    text NOT NULL,
  state           smallint NOT NULL CHECK (state BETWEEN 2 AND 4),
  review_comment  text NOT NULL DEFAULT '',
  decided_at      timestamptz,
  decided_by      text NOT NULL DEFAULT '',
  PRIMARY KEY (report_id, revision)
);

CREATE FUNCTION refuse_revision_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'revisions are never deleted';
  END IF;
  IF NEW.report_id <> OLD.report_id OR NEW.revision <> OLD.revision
     OR NEW.content <> OLD.content OR NEW.catalog_version <> OLD.catalog_version
     OR NEW.submitted_at <> OLD.submitted_at OR NEW.submitted_by <> OLD.submitted_by THEN
    RAISE EXCEPTION 'a submitted revision is immutable';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER revisions_immutable BEFORE UPDATE OR DELETE ON revisions
  FOR EACH ROW EXECUTE FUNCTION refuse_revision_change();

-- Everything that happened to a report: submissions and the review
-- decisions that flowed back (with the aggregator's change sequence).
CREATE TABLE report_events (
  id              bigserial PRIMARY KEY,
  report_id       bigint NOT NULL REFERENCES reports(id),
  revision        int NOT NULL,
  -- "submitted", "accepted", "returned", "reopened", "push_refused".
  event           text NOT NULL,
  state           smallint NOT NULL,
  comment         text NOT NULL DEFAULT '',
  actor           text NOT NULL,
  at              timestamptz NOT NULL DEFAULT now(),
  -- Position in the aggregator's change feed, for decisions.
  source_sequence bigint UNIQUE
);
CREATE INDEX report_events_report ON report_events (report_id, id);

CREATE FUNCTION refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report_events is append-only';
END $$;
CREATE TRIGGER report_events_append_only BEFORE UPDATE OR DELETE ON report_events
  FOR EACH ROW EXECUTE FUNCTION refuse_event_change();

-- Submitted revisions waiting for (or done with) the push to the aggregator.
CREATE TABLE outbox (
  id                bigserial PRIMARY KEY,
  report_id         bigint NOT NULL REFERENCES reports(id),
  revision          int NOT NULL,
  organization_code text NOT NULL,
  period            text NOT NULL,
  -- The serialized federation.v1.Report to push.
  payload           bytea NOT NULL,
  -- "pending", "delivered" (stored, duplicate or stale at the aggregator),
  -- "failed" (refused: invalid, denied, conflict; not retried).
  status            text NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts          int NOT NULL DEFAULT 0,
  outcome           text NOT NULL DEFAULT '',
  last_error        text NOT NULL DEFAULT '',
  created_at        timestamptz NOT NULL DEFAULT now(),
  finished_at       timestamptz,
  UNIQUE (report_id, revision)
);
CREATE INDEX outbox_pending ON outbox (id) WHERE status = 'pending';

-- The forwarder's own state: where it is in the aggregator's change feed,
-- and the last error talking to the aggregator (empty once it works again).
CREATE TABLE forwarder_state (
  id            int PRIMARY KEY CHECK (id = 1),
  change_cursor bigint NOT NULL DEFAULT 0,
  last_error    text NOT NULL DEFAULT '',
  updated_at    timestamptz NOT NULL DEFAULT now()
);
INSERT INTO forwarder_state (id) VALUES (1);
