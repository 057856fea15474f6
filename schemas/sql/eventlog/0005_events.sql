-- The log. Append-only: rows are inserted by the sequenced writer and never updated or deleted.
-- Eight columns, ordered to pack without padding (eight keep the null bitmap to one byte).
-- `body` starts with its codec and dictionary, then holds the idempotency key, the metadata and
-- the payload, raw or LZ4-compressed (docs/EVENTLOG.md). `idempotency_key` is the first 8 bytes
-- of SHA-256 of the key, enough to find it; the writer compares the full key kept in the body.
CREATE TABLE parley_events (
    position bigint NOT NULL,
    recorded_at timestamptz NOT NULL,
    idempotency_key bigint,                -- NULL for unkeyed events, which then store nothing here
    stream_id integer NOT NULL,
    stream_version integer NOT NULL,
    type_id smallint NOT NULL,
    hash bytea NOT NULL,
    body bytea NOT NULL
);
ALTER TABLE parley_events ALTER COLUMN body SET STORAGE MAIN;
-- Serves reads and tails by position. Positions only grow, so leaf pages can be packed full.
ALTER TABLE parley_events ADD CONSTRAINT parley_events_pkey PRIMARY KEY (position) WITH (fillfactor = 100);
-- Serves reads of a stream from a version and stream versions for appends; guards version density.
CREATE UNIQUE INDEX parley_events_stream ON parley_events (stream_id, stream_version);
-- Serves idempotency look-ups; only keyed events are indexed.
CREATE INDEX parley_events_idempotency ON parley_events (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Nobody rewrites history: updates and deletes of events are refused.
CREATE FUNCTION parley_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'parley_events is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER parley_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON parley_events
    FOR EACH STATEMENT EXECUTE FUNCTION parley_refuse_change();
