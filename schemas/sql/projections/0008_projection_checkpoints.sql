-- One row per projection: the log position its tables reflect, and a generation that a rebuild
-- increments when it swaps in new tables (a running projector then reloads its state).
-- Projectors write their rows and move this checkpoint in one transaction.
CREATE TABLE parley_projection_checkpoints (
    projection text PRIMARY KEY,
    position bigint NOT NULL DEFAULT 0,
    generation integer NOT NULL DEFAULT 1,
    updated_at timestamptz NOT NULL DEFAULT now()
);
