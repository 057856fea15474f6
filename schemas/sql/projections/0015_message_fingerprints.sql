-- Projection message_search: each message's near-duplicate fingerprint (a 64-bit SimHash of its
-- words), and the index the spam check reads a sender's recent messages by. Rows projected before
-- this migration keep NULL until a rebuild (`parley-replay rebuild message_search`); the check only
-- looks ten minutes back, so they do not matter to it.
ALTER TABLE parley_message_search ADD COLUMN fingerprint bigint;
CREATE INDEX parley_message_search_sender ON parley_message_search (sender_id, sent_at);
