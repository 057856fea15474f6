-- Projection user_standing: each user's moderation standing, and the contact or payment attempts
-- that count towards the next automatic step.
CREATE TABLE parley_user_standing (
    user_id text PRIMARY KEY,
    standing text NOT NULL,
    attempts integer NOT NULL,
    attempts_total integer NOT NULL,
    changed_by text,
    changed_by_staff text,
    statement_of_reasons text,
    updated_at timestamptz NOT NULL
);
-- Staff list users by standing, most recently changed first.
CREATE INDEX parley_user_standing_by_standing ON parley_user_standing (standing, updated_at DESC, user_id DESC);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('user_standing');
