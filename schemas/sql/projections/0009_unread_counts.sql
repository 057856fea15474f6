-- Projection unread_counts: messages from others a participant has not read, per conversation
-- and in total per user (the badge).
CREATE TABLE parley_unread_counts (
    user_id text NOT NULL,
    conversation_id text NOT NULL,
    unread integer NOT NULL,
    PRIMARY KEY (user_id, conversation_id)
);
CREATE TABLE parley_unread_totals (
    user_id text PRIMARY KEY,
    unread integer NOT NULL
);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('unread_counts');
