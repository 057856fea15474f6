-- Projection inbox: one row per conversation per participant.
CREATE TABLE parley_inbox (
    owner_id text NOT NULL,
    conversation_id text NOT NULL,
    counterpart_id text NOT NULL,
    counterpart_role text NOT NULL,
    counterpart_name text,
    subject_kind text NOT NULL,
    listing_id text,
    order_id text,
    subject_title text,
    price_cents bigint,
    order_state text,
    last_message_preview text,
    last_message_redacted boolean NOT NULL,
    last_message_id text,
    last_message_at timestamptz,
    last_message_sender_id text,
    last_activity_at timestamptz NOT NULL,
    unread_count integer NOT NULL,
    awaiting_reply boolean NOT NULL,
    blocked boolean NOT NULL,
    blocked_by_counterpart boolean NOT NULL,
    muted boolean NOT NULL,
    PRIMARY KEY (owner_id, conversation_id)
);
-- Serves an inbox page: a user's conversations by last activity, newest first (cursor paging).
CREATE INDEX parley_inbox_activity ON parley_inbox (owner_id, last_activity_at DESC, conversation_id);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('inbox');
