-- Competition schema: contests with their state history, entries (never
-- deleted; withdrawal marks them), judges, assignments, score sheets, the
-- results computed when judging closes, and the audit log. Enum columns hold
-- proto numbers; points are stored in hundredths (integers), so that final
-- scores and ties are exact.

CREATE TABLE contests (
  id             bigserial PRIMARY KEY,
  kind           smallint NOT NULL,
  organizer_code text NOT NULL,
  level          smallint NOT NULL,
  edition        int NOT NULL CHECK (edition >= 1),
  year           int NOT NULL,
  title          text NOT NULL,
  state          smallint NOT NULL,
  -- The Contest message (fields, windows, prizes, criteria, min judges) as JSON.
  definition     jsonb NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  updated_by     text NOT NULL,
  UNIQUE (organizer_code, kind, edition)
);
CREATE INDEX contests_year ON contests (year, organizer_code);

CREATE TABLE contest_state_changes (
  id          bigserial PRIMARY KEY,
  contest_id  bigint NOT NULL REFERENCES contests(id),
  from_state  smallint NOT NULL,
  to_state    smallint NOT NULL,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  note        text NOT NULL DEFAULT ''
);
CREATE INDEX contest_state_changes_contest ON contest_state_changes (contest_id, id);

CREATE TABLE entries (
  id                bigserial PRIMARY KEY,
  contest_id        bigint NOT NULL REFERENCES contests(id),
  title             text NOT NULL,
  -- Sorted, lower-cased author names joined by '|': with the title, what
  -- makes two entries "the same work by the same authors".
  author_key        text NOT NULL,
  authors           jsonb NOT NULL,
  source_org        text NOT NULL,
  source_province   text NOT NULL,
  field             text NOT NULL,
  summary           text NOT NULL DEFAULT '',
  submitted_at      timestamptz NOT NULL,
  withdrawn         boolean NOT NULL DEFAULT false,
  withdrawn_at      timestamptz,
  withdrawal_reason text NOT NULL DEFAULT '',
  nominated_from    bigint REFERENCES entries(id),
  created_by        text NOT NULL
);
CREATE INDEX entries_contest ON entries (contest_id, id);
CREATE INDEX entries_nominated_from ON entries (nominated_from);
CREATE UNIQUE INDEX entries_same_work ON entries (contest_id, lower(title), author_key)
  WHERE NOT withdrawn;
-- One nomination of an entry per target contest.
CREATE UNIQUE INDEX entries_one_nomination ON entries (contest_id, nominated_from)
  WHERE nominated_from IS NOT NULL AND NOT withdrawn;

CREATE TABLE judges (
  contest_id        bigint NOT NULL REFERENCES contests(id),
  subject           text NOT NULL,
  name              text NOT NULL,
  organization_code text NOT NULL,
  fields            text[] NOT NULL,
  PRIMARY KEY (contest_id, subject)
);

CREATE TABLE assignments (
  entry_id      bigint NOT NULL REFERENCES entries(id),
  judge_subject text NOT NULL,
  contest_id    bigint NOT NULL,
  manual        boolean NOT NULL,
  assigned_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entry_id, judge_subject),
  FOREIGN KEY (contest_id, judge_subject) REFERENCES judges (contest_id, subject)
);
CREATE INDEX assignments_judge ON assignments (contest_id, judge_subject);

CREATE TABLE score_sheets (
  entry_id         bigint NOT NULL,
  judge_subject    text NOT NULL,
  contest_id       bigint NOT NULL,
  -- {"criterion_code": hundredths of a point, ...}
  scores           jsonb NOT NULL,
  total_hundredths bigint NOT NULL,
  comment          text NOT NULL DEFAULT '',
  revision         int NOT NULL DEFAULT 1,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (entry_id, judge_subject),
  FOREIGN KEY (entry_id, judge_subject) REFERENCES assignments (entry_id, judge_subject)
);
CREATE INDEX score_sheets_contest ON score_sheets (contest_id);

-- Written when judging closes (scores, ranks) and completed when the contest
-- is awarded (prizes). Final score = final_sum / final_count hundredths.
CREATE TABLE results (
  entry_id     bigint PRIMARY KEY REFERENCES entries(id),
  contest_id   bigint NOT NULL REFERENCES contests(id),
  sheets       int NOT NULL,
  final_sum    bigint NOT NULL,
  final_count  int NOT NULL,
  rank         int NOT NULL,
  prize        smallint NOT NULL DEFAULT 0
);
CREATE INDEX results_contest ON results (contest_id, rank);

CREATE TRIGGER entries_no_delete BEFORE DELETE ON entries
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
