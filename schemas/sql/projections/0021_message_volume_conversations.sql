-- Message volume resumes from its rows (its projector no longer replays the log into memory),
-- so it keeps each conversation's subject kind, under which the conversation's messages are
-- counted. The volume is emptied and projected again from the start of the log into both tables
-- (a new generation, so a projector of the old version still running stops writing).
CREATE TABLE parley_message_volume_conversations (
    conversation_id text PRIMARY KEY,
    subject_kind text NOT NULL
);
TRUNCATE parley_message_volume_daily;
UPDATE parley_projection_checkpoints SET position = 0, generation = generation + 1, updated_at = now()
WHERE projection = 'message_volume';
