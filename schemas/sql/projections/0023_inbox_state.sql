-- The inbox resumes from its rows (its projector no longer replays the log into memory). Beside
-- the inbox rows it keeps its conversations' threads (as unread counts and receipts do), the
-- profiles, order states, blocks and silenced channels new rows are made of, and the messages
-- held for review that a release shows. The indexes let a page find the rows an order, a
-- listing, a profile or a block changes. The inbox is emptied and projected again from the start
-- of the log (a new generation, so a projector of the old version still running stops writing).
CREATE TABLE parley_inbox_threads (LIKE parley_unread_threads INCLUDING ALL);
CREATE TABLE parley_inbox_thread_messages (LIKE parley_unread_thread_messages INCLUDING ALL);
CREATE TABLE parley_inbox_profiles (
    user_id text PRIMARY KEY,
    display_name text NOT NULL,
    role text NOT NULL
);
CREATE TABLE parley_inbox_orders (
    order_id text PRIMARY KEY,
    state text NOT NULL
);
CREATE TABLE parley_inbox_blocks (
    blocker_id text NOT NULL,
    blocked_id text NOT NULL,
    active boolean NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id)
);
CREATE TABLE parley_inbox_silenced (
    user_id text PRIMARY KEY,
    channels text[] NOT NULL
);
CREATE TABLE parley_inbox_held (
    conversation_id text NOT NULL,
    message_id text NOT NULL,
    sender_id text NOT NULL,
    sent_at timestamptz NOT NULL,
    preview text NOT NULL,
    automated boolean NOT NULL,
    open boolean NOT NULL,
    PRIMARY KEY (conversation_id, message_id)
);
CREATE INDEX parley_inbox_conversation ON parley_inbox (conversation_id);
CREATE INDEX parley_inbox_order ON parley_inbox (order_id) WHERE order_id IS NOT NULL;
CREATE INDEX parley_inbox_listing ON parley_inbox (listing_id) WHERE listing_id IS NOT NULL;
CREATE INDEX parley_inbox_counterpart ON parley_inbox (counterpart_id);
TRUNCATE parley_inbox;
UPDATE parley_projection_checkpoints SET position = 0, generation = generation + 1, updated_at = now()
WHERE projection = 'inbox';
