-- Streams, interned: events carry a bigint id instead of the name. `version` is the version of the
-- stream's last event (dense from 1).
CREATE TABLE parley_streams (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    category text NOT NULL,
    version integer NOT NULL
);
-- Serves reads of a category (e.g. every conversation).
CREATE INDEX parley_streams_category ON parley_streams (category, id);
