-- Projection receipts: per message and recipient, when it was sent, delivered and read.
CREATE TABLE parley_receipts (
    conversation_id text NOT NULL,
    message_id text NOT NULL,
    recipient_id text NOT NULL,
    sender_id text NOT NULL,
    sent_at timestamptz NOT NULL,
    delivered_at timestamptz,
    read_at timestamptz,
    PRIMARY KEY (conversation_id, message_id, recipient_id)
);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('receipts');

-- Projection vendor_response_metrics: each conversation's first question and first reply, and
-- per vendor and UTC day the response figures (see VendorResponseMetrics for the definitions).
CREATE TABLE parley_response_conversations (
    conversation_id text PRIMARY KEY,
    vendor_id text NOT NULL,
    asked_at timestamptz,
    answered_at timestamptz
);
CREATE TABLE parley_vendor_response_daily (
    vendor_id text NOT NULL,
    day date NOT NULL,
    conversations integer NOT NULL,
    answered integer NOT NULL,
    answered_within_1h integer NOT NULL,
    answered_within_24h integer NOT NULL,
    median_response_seconds double precision,
    mean_response_seconds double precision,
    PRIMARY KEY (vendor_id, day)
);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('vendor_response_metrics');

-- Projection message_volume: per UTC day and subject kind, conversations started and messages.
CREATE TABLE parley_message_volume_daily (
    day date NOT NULL,
    subject_kind text NOT NULL,
    conversations_started integer NOT NULL,
    messages integer NOT NULL,
    automated_messages integer NOT NULL,
    PRIMARY KEY (day, subject_kind)
);
INSERT INTO parley_projection_checkpoints (projection) VALUES ('message_volume');
