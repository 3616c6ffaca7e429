-- Two aggregators may run against one database, one active and one on
-- standby (services/aggregator/leadership.h). Which one is active is decided
-- by a PostgreSQL advisory lock; this row is the fence behind it: the active
-- one raised `epoch` when it took over, and every write checks, under the
-- feed's lock, that the epoch is still its own. An aggregator that lost the
-- lock without noticing (its connection cut, the database failed over) can
-- therefore not write a single row after its successor took over.
CREATE TABLE leadership (
  only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  epoch    bigint NOT NULL,
  holder   text NOT NULL,
  since    timestamptz NOT NULL
);
INSERT INTO leadership (epoch, holder, since) VALUES (0, '', now());
GRANT SELECT, UPDATE ON leadership TO aggregator_app;

-- The standby keeps its figures warm by reading the standings changed since
-- the last one it applied.
CREATE INDEX reports_last_sequence ON reports (last_sequence);
