-- The raw (uncompressed) length of a stored body, read from its codec header without
-- decompressing: for `parley-replay stats` and the compression ratio.
CREATE FUNCTION parley_body_raw_length(body bytea) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
DECLARE
    offset_ integer;
    value integer := 0;
    shift integer := 0;
    byte integer;
BEGIN
    CASE get_byte(body, 0)
        WHEN 0 THEN RETURN octet_length(body) - 1;
        WHEN 1 THEN offset_ := 1;
        WHEN 2 THEN
            offset_ := 1;
            WHILE get_byte(body, offset_) >= 128 LOOP offset_ := offset_ + 1; END LOOP;
            offset_ := offset_ + 1;
        ELSE RETURN NULL;
    END CASE;
    LOOP
        byte := get_byte(body, offset_);
        value := value | ((byte & 127) << shift);
        EXIT WHEN byte < 128;
        shift := shift + 7;
        offset_ := offset_ + 1;
    END LOOP;
    RETURN value;
END $$;
