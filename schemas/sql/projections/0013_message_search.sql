-- Projection message_search: every message's text for staff search (original text, also after a redaction).
CREATE TABLE parley_message_search (
    conversation_id text NOT NULL,
    message_id text NOT NULL,
    sender_id text NOT NULL,
    sent_at timestamptz NOT NULL,
    body text NOT NULL,
    redacted boolean NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);
-- Word search ('simple': no stemming, any language) and newest-first listing.
CREATE INDEX parley_message_search_words ON parley_message_search USING gin (to_tsvector('simple', body));
INSERT INTO parley_projection_checkpoints (projection) VALUES ('message_search');
