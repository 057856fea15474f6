-- Projection dispute_timeline: every event on a conversation's or an order's timeline, in log
-- order, with its actor and times. The event itself stays in the log: read it by position.
CREATE TABLE parley_dispute_timeline (
    timeline_kind text NOT NULL,            -- 'conversation' or 'order'
    timeline_id text NOT NULL,
    position bigint NOT NULL,
    stream text NOT NULL,
    stream_version integer NOT NULL,
    event_type text NOT NULL,
    actor text,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL,
    PRIMARY KEY (timeline_kind, timeline_id, position)
);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('dispute_timeline');
