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
-- kind 'h': the head (position, hash, dictionary); 's': a stream's version; 'k': a keyed event.
CREATE FUNCTION parley_lock_and_read(stream_names text[], keys uuid[])
RETURNS TABLE (r_kind "char", r_name text, r_version bigint, r_key uuid, r_position bigint, r_hash bytea, r_type_id smallint)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM pg_advisory_lock(1885434476);
    RETURN QUERY SELECT 'h'::"char", NULL::text, h.dictionary_id::bigint, NULL::uuid, h.position, h.hash, NULL::smallint
        FROM parley_log_head h FOR UPDATE;
    RETURN QUERY SELECT 's'::"char", s.name, s.version::bigint, NULL::uuid, NULL::bigint, NULL::bytea, NULL::smallint
        FROM parley_streams s WHERE s.name = ANY (stream_names);
    RETURN QUERY SELECT 'k'::"char", s.name, e.stream_version::bigint, e.idempotency_key, e.position, NULL::bytea, e.type_id
        FROM parley_events e JOIN parley_streams s ON s.id = e.stream_id
        WHERE e.idempotency_key = ANY (keys);
EXCEPTION WHEN OTHERS THEN
    PERFORM pg_advisory_unlock(1885434476);
    RAISE;
END $$;
