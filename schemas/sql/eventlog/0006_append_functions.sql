-- Commit wake-up: every move of the head notifies channel parley_log with the new head position;
-- the notification is delivered at commit, so tailers read right after the events are visible.
CREATE FUNCTION parley_notify_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('parley_log', NEW.position::text);
    RETURN NULL;
END $$;
CREATE TRIGGER parley_log_head_notify AFTER UPDATE ON parley_log_head
    FOR EACH ROW EXECUTE FUNCTION parley_notify_head();

-- First step of an append: take the writer lock, then read what the batch depends on.
--
-- The writer lock is a session advisory lock, so the append needs no explicit transaction: this
-- call and the write (parley_write's statement) are two autocommit round trips. The write releases
-- the advisory lock only after it has updated the head row, and the next writer locks that row
-- (FOR UPDATE) right after taking the advisory lock, so it waits for the previous write's commit
-- and then reads its head. Commit order therefore equals position order, as with one long lock.
-- Each statement of a volatile function in READ COMMITTED takes a fresh snapshot, so the reads
-- after the row lock see every committed event.
-- kind 'h': the head (r_position, r_bytes = hash, r_small = dictionary);
-- 's': a known stream (r_name, r_id, r_version = its last event's version);
-- 'k': an event holding one of the key digests (r_key, r_name, r_version, r_position,
--      r_small = type id, r_bytes = its stored body, for the writer to compare the full key).
CREATE FUNCTION parley_lock_and_read(stream_names text[], keys bigint[])
RETURNS TABLE (r_kind "char", r_name text, r_id integer, r_version integer, r_key bigint, r_position bigint,
               r_small smallint, r_bytes bytea)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_lock(1885434476);
    RETURN QUERY SELECT 'h'::"char", NULL::text, NULL::integer, NULL::integer, NULL::bigint, h.position,
                        h.dictionary_id, h.hash
        FROM parley_log_head h FOR UPDATE;
    RETURN QUERY SELECT 's'::"char", s.name, s.id,
                        coalesce((SELECT max(e.stream_version) FROM parley_events e WHERE e.stream_id = s.id), 0),
                        NULL::bigint, NULL::bigint, NULL::smallint, NULL::bytea
        FROM parley_streams s WHERE s.name = ANY (stream_names);
    RETURN QUERY SELECT 'k'::"char", s.name, s.id, e.stream_version, e.idempotency_key, e.position, e.type_id, e.body
        FROM parley_events e JOIN parley_streams s ON s.id = e.stream_id
        WHERE e.idempotency_key = ANY (keys);
EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock(1885434476);
    RAISE;
END $$;
