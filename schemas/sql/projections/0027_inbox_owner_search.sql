-- Inbox search within one owner's inbox: the owner and both trigram columns in one GIN index
-- (btree_gin, a trusted contrib extension, lets GIN index the owner's equality). The planner then
-- answers a narrow term from the owner's matches alone, and a broad one by walking the owner's
-- activity index with the term as a filter; the global trigram indexes made a term common across
-- all inboxes cost as many rows as it matched everywhere. Staff search keeps the global ones.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE INDEX parley_inbox_owner_search ON parley_inbox USING gin (owner_id, counterpart_name gin_trgm_ops, subject_title gin_trgm_ops);
