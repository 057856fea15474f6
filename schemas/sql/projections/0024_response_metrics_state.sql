-- Vendor response metrics resume from their rows (their projector no longer replays the log into
-- memory): each conversation's row names its buyer too, and beside it are kept the messages its
-- first response is computed from (typed by the buyer or the vendor, counted or held for review,
-- with the order they arrived in) and the spam flags that leave messages out. A day's figures are
-- tallied again from its conversations, found through (vendor_id, asked_at). The metrics are
-- emptied and projected again from the start of the log (a new generation, so a projector of the
-- old version still running stops writing).
TRUNCATE parley_response_conversations, parley_vendor_response_daily;
ALTER TABLE parley_response_conversations ADD COLUMN buyer_id text NOT NULL;
CREATE INDEX parley_response_conversations_vendor_day ON parley_response_conversations (vendor_id, asked_at);
CREATE TABLE parley_response_messages (
    conversation_id text NOT NULL,
    message_id text NOT NULL,
    arrival integer NOT NULL,
    from_buyer boolean NOT NULL,
    sent_at timestamptz NOT NULL,
    held boolean NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);
CREATE TABLE parley_response_spam (
    conversation_id text NOT NULL,
    message_id text NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);
UPDATE parley_projection_checkpoints SET position = 0, generation = generation + 1, updated_at = now()
WHERE projection = 'vendor_response_metrics';
