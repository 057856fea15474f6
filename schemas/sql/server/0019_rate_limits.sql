-- Per-user rate limits shared by every server instance: one "theoretical arrival time" per user
-- and kind of action (the generic cell rate algorithm). Unlogged: losing it in a crash only
-- refills everyone's buckets. Rows whose tat has passed are full buckets; servers delete them.
CREATE UNLOGGED TABLE parley_rate_limits (
    kind text NOT NULL,
    user_id text NOT NULL,
    tat timestamptz NOT NULL,
    PRIMARY KEY (kind, user_id)
);
CREATE INDEX parley_rate_limits_tat ON parley_rate_limits (tat);
