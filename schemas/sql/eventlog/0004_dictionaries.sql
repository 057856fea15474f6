-- LZ4 dictionaries, immutable once written. Events name the dictionary their body was compressed
-- with, so a new one (trained from recent events) never breaks older events.
CREATE TABLE parley_dictionaries (
    id smallint PRIMARY KEY CHECK (id > 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    trained_on integer NOT NULL,
    bytes bytea NOT NULL
);
