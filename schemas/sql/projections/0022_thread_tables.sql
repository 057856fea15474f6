-- Unread counts and receipts resume from their rows (their projectors no longer replay the log
-- into memory): each keeps its conversations' threads beside its own rows — per conversation the
-- participants, the message count and each participant's delivery and read watermarks and unread
-- count, and per message its place in the thread, sender and withholding. Both projections are
-- emptied and projected again from the start of the log (a new generation, so a projector of the
-- old version still running stops writing).
CREATE TABLE parley_unread_threads (
    conversation_id text PRIMARY KEY,
    buyer_id text NOT NULL,
    vendor_id text NOT NULL,
    message_count integer NOT NULL,
    buyer_delivered integer NOT NULL,
    buyer_read integer NOT NULL,
    buyer_unread integer NOT NULL,
    vendor_delivered integer NOT NULL,
    vendor_read integer NOT NULL,
    vendor_unread integer NOT NULL
);
CREATE TABLE parley_unread_thread_messages (
    conversation_id text NOT NULL,
    seq integer NOT NULL,
    message_id text NOT NULL,
    sender_id text NOT NULL,
    sent_at timestamptz NOT NULL,
    withheld text,
    PRIMARY KEY (conversation_id, seq)
);
CREATE TABLE parley_receipts_threads (LIKE parley_unread_threads INCLUDING ALL);
CREATE TABLE parley_receipts_thread_messages (LIKE parley_unread_thread_messages INCLUDING ALL);
TRUNCATE parley_unread_counts, parley_unread_totals, parley_receipts;
UPDATE parley_projection_checkpoints SET position = 0, generation = generation + 1, updated_at = now()
WHERE projection IN ('unread_counts', 'receipts');
