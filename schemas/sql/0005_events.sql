-- The log. Append-only: rows are inserted by the sequenced writer and never updated or deleted.
-- Columns are ordered to pack without padding. `body` holds the idempotency key, the metadata and
-- the payload, raw or LZ4-compressed (`codec`, `dictionary_id`). `idempotency_key` is the first
-- 16 bytes of SHA-256 of the key, enough to find it; the key itself is in the body.
CREATE TABLE parley_events (
    position bigint PRIMARY KEY,           -- serves reads and tails by position
    stream_id bigint NOT NULL,
    recorded_at timestamptz NOT NULL,
    stream_version integer NOT NULL,
    type_id smallint NOT NULL,
    codec smallint NOT NULL,
    dictionary_id smallint,
    idempotency_key uuid,
    hash bytea NOT NULL,
    body bytea NOT NULL
);
ALTER TABLE parley_events ALTER COLUMN body SET STORAGE MAIN;
-- Serves reads of a stream from a version, and guards version density.
CREATE UNIQUE INDEX parley_events_stream ON parley_events (stream_id, stream_version);
-- Serves idempotency look-ups; only keyed events are indexed.
CREATE UNIQUE INDEX parley_events_idempotency ON parley_events (idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Nobody rewrites history: updates and deletes of events are refused.
CREATE FUNCTION parley_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'parley_events is append-only' USING ERRCODE = 'P0001';
END $$;
CREATE TRIGGER parley_events_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON parley_events
    FOR EACH STATEMENT EXECUTE FUNCTION parley_refuse_change();
