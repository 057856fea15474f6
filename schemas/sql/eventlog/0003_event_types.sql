-- Event types with their schema versions, interned: events carry a smallint.
CREATE TABLE parley_event_types (
    id smallint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    schema_version smallint NOT NULL,
    UNIQUE (name, schema_version)
);
