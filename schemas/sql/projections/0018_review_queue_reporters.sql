-- The review queue resumes from its rows (its projector no longer replays the log into memory),
-- so each item keeps who reported it, to count distinct reporters. Rows written before lack
-- them: the queue is emptied and projected again from the start of the log (a new generation,
-- so a projector of the old version still running stops writing).
ALTER TABLE parley_review_queue ADD COLUMN reporter_ids text[] NOT NULL DEFAULT '{}';
TRUNCATE parley_review_queue;
UPDATE parley_projection_checkpoints SET position = 0, generation = generation + 1, updated_at = now()
WHERE projection = 'review_queue';
