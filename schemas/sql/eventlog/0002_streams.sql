-- Streams, interned: events carry an integer id instead of the name. A stream's version is the
-- version of its last event, read from parley_events_stream (no counter to update per append).
CREATE TABLE parley_streams (
    id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    category text NOT NULL
);
-- Serves reads of a category (e.g. every conversation).
CREATE INDEX parley_streams_category ON parley_streams (category, id);
