-- The dispute timelines resume from their rows (their projector no longer replays the log into
-- memory), so they keep, beside the entries, each conversation's participants and order: what
-- places an order's state change or a block between two users on the right conversations. The
-- timelines are emptied and projected again from the start of the log into both tables (a new
-- generation, so a projector of the old version still running stops writing).
CREATE TABLE parley_dispute_timeline_conversations (
    conversation_id text PRIMARY KEY,
    buyer_id text NOT NULL,
    vendor_id text NOT NULL,
    order_id text
);
CREATE INDEX parley_dispute_timeline_conversations_order ON parley_dispute_timeline_conversations (order_id)
    WHERE order_id IS NOT NULL;
CREATE INDEX parley_dispute_timeline_conversations_pair ON parley_dispute_timeline_conversations (buyer_id, vendor_id);
TRUNCATE parley_dispute_timeline;
UPDATE parley_projection_checkpoints SET position = 0, generation = generation + 1, updated_at = now()
WHERE projection = 'dispute_timeline';
