-- Projection review_queue: one row per message detectors flagged, masked or bounced, or users reported.
CREATE TABLE parley_review_queue (
    conversation_id text NOT NULL,
    message_id text NOT NULL,
    sender_id text,
    status text NOT NULL,
    moderation_action text,
    classes text NOT NULL,
    rule text,
    score double precision NOT NULL,
    reporters integer NOT NULL,
    reasons text NOT NULL,
    original_text text,
    first_at timestamptz NOT NULL,
    last_at timestamptz NOT NULL,
    decided_by text,
    decision_reason text,
    PRIMARY KEY (conversation_id, message_id)
);
-- The queue as staff page it: by status, most recent first (keyset on last_at, conversation, message).
CREATE INDEX parley_review_queue_status ON parley_review_queue (status, last_at DESC, conversation_id DESC, message_id DESC);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('review_queue');
