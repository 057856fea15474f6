-- Projection inbox, read from its table: pages in the API's order (latest activity, then conversation
-- id, both descending), the unread-first order, and substring search of names and titles through
-- trigram indexes (pg_trgm is a trusted extension: the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DROP INDEX parley_inbox_activity;
CREATE INDEX parley_inbox_activity ON parley_inbox (owner_id, last_activity_at DESC, conversation_id DESC);
CREATE INDEX parley_inbox_unread ON parley_inbox (owner_id, last_activity_at DESC, conversation_id DESC) WHERE unread_count > 0;
CREATE INDEX parley_inbox_counterpart_name ON parley_inbox USING gin (counterpart_name gin_trgm_ops);
CREATE INDEX parley_inbox_subject_title ON parley_inbox USING gin (subject_title gin_trgm_ops);
-- The unread-first order: unread conversations first, each group by latest activity.
CREATE INDEX parley_inbox_unread_first ON parley_inbox (owner_id, (unread_count > 0) DESC, last_activity_at DESC, conversation_id DESC);
