-- The figures' snapshot, kept with each standing: the values that count for
-- it, so that an aggregator starting up reads one row per report instead of
-- every value row of two revisions (22 s at 200,000 reports before this).
--
-- latest_values   the latest revision's values, by position in the layout
--                 below: 8 bytes each, an IEEE double in network byte order
--                 as float8send writes it (NaN = not reported). Bytes rather
--                 than double precision[]: printing and parsing 60 million
--                 numbers as text was most of a restart at 2,000,000
--                 reports, hex is a copy;
-- accepted_values the accepted revision's, NULL when nothing is accepted or
--                 the accepted revision is the latest (then they are the
--                 latest_values: most reports, stored once);
-- values_sequence the change these arrays were written with. They are the
--                 standing's only while it equals last_sequence: a writer
--                 that does not know these columns (an older aggregator
--                 during a rolling upgrade) moves last_sequence and leaves
--                 them behind, and readers then recount that row from
--                 report_values, as before.
ALTER TABLE reports
  ADD COLUMN latest_values   bytea,
  ADD COLUMN accepted_values bytea,
  ADD COLUMN values_sequence bigint;

-- The indicator codes the arrays' positions stand for. A build with another
-- catalog recounts every row and rewrites the arrays when it takes over.
CREATE TABLE value_layout (
  only_row   boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  indicators text[] NOT NULL
);
GRANT SELECT, INSERT, UPDATE ON value_layout TO aggregator_app;
