-- How far the change feed has been pruned. The feed is a delivery channel,
-- not the record: decisions stay on their revisions and in the audit log, so
-- changes older than the retention period may go. A follower asking for
-- changes after a sequence below pruned_through would silently miss some;
-- it is told so instead (OUT_OF_RANGE).
CREATE TABLE feed_horizon (
  only_row       boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  pruned_through bigint NOT NULL
);
INSERT INTO feed_horizon (pruned_through) VALUES (0);
