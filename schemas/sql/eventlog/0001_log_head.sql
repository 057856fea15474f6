-- The log's head: one row that every appending transaction locks first (the sequencer).
-- Holding it until commit makes commit order equal position order, so positions are dense and a
-- reader that has seen position p has seen every position below p. `epoch` names this log instance.
CREATE TABLE parley_log_head (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    position bigint NOT NULL,
    hash bytea NOT NULL,
    epoch uuid NOT NULL,
    dictionary_id smallint
);
INSERT INTO parley_log_head (position, hash, epoch)
VALUES (0, decode(repeat('00', 32), 'hex'), gen_random_uuid());
