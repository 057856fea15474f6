-- The inbox's projector keeps what every user's stream is cut from (the user feed): what it knows
-- of each conversation (participants, subject, version, redacted and withheld messages, messages
-- held for review), each listing's and order's latest event, and every user's updates, so a
-- server instance needs no replay of the log: a client that reconnects is caught up from
-- parley_feed_updates and the log, however long it was away. parley_feed_floor says from where the
-- updates are complete (a rebuild writes none for the events it replays in bulk). The inbox is
-- emptied and projected again from the start of the log, writing the updates of all of it.
CREATE TABLE parley_feed_conversations (
    conversation_id text PRIMARY KEY,
    buyer_id text NOT NULL,
    vendor_id text NOT NULL,
    subject json NOT NULL,
    version integer NOT NULL,
    redacted text[] NOT NULL,
    withheld_ids text[] NOT NULL,
    withheld_senders text[] NOT NULL,
    held json NOT NULL
);
CREATE TABLE parley_feed_listings (
    listing_id text PRIMARY KEY,
    vendor_id text NOT NULL,
    data json NOT NULL
);
CREATE TABLE parley_feed_orders (
    order_id text PRIMARY KEY,
    buyer_id text NOT NULL,
    vendor_id text NOT NULL,
    state text NOT NULL,
    data json NOT NULL
);
CREATE INDEX parley_feed_orders_parties ON parley_feed_orders (buyer_id, vendor_id);
CREATE TABLE parley_feed_updates (
    user_id text NOT NULL,
    position bigint NOT NULL,
    kind text NOT NULL,
    shown json,
    rows json,
    PRIMARY KEY (user_id, position)
);
CREATE INDEX parley_feed_updates_position ON parley_feed_updates (position);
CREATE TABLE parley_feed_floor (
    id boolean PRIMARY KEY CHECK (id),
    position bigint NOT NULL
);
INSERT INTO parley_feed_floor VALUES (true, 0);
TRUNCATE parley_inbox, parley_inbox_threads, parley_inbox_thread_messages, parley_inbox_profiles, parley_inbox_orders,
    parley_inbox_blocks, parley_inbox_silenced, parley_inbox_held;
UPDATE parley_projection_checkpoints SET position = 0, generation = generation + 1, updated_at = now()
WHERE projection = 'inbox';
