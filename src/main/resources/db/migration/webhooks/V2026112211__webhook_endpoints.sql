-- Webhook endpoints, their deliveries (one per event and endpoint, stored with the event) and every attempt.
CREATE TABLE webhooks.endpoints (
    id                    text        PRIMARY KEY,
    project_id            text        NOT NULL,
    url                   text        NOT NULL,
    description           text,
    event_types           text[]      NOT NULL,
    filter                text,
    headers               jsonb       NOT NULL DEFAULT '{}',
    enabled               boolean     NOT NULL,
    disabled_reason       text,
    max_in_flight         integer     NOT NULL,
    -- Signing secrets, AES-GCM encrypted; the previous one keeps signing until previous_secret_until.
    secret                bytea       NOT NULL,
    previous_secret       bytea,
    previous_secret_until timestamptz,
    failing_since         timestamptz,
    metadata              jsonb       NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE INDEX endpoints_project_idx ON webhooks.endpoints (project_id, created_at, id);

CREATE TABLE webhooks.deliveries (
    id              text        PRIMARY KEY,
    project_id      text        NOT NULL,
    endpoint_id     text        NOT NULL REFERENCES webhooks.endpoints (id) ON DELETE CASCADE,
    event_id        text        NOT NULL,
    event_type      text        NOT NULL,
    status          text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    -- A node that claimed the delivery owns it until then; after a crash another node takes it again.
    claimed_until   timestamptz,
    last_status     integer,
    last_error      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    UNIQUE (endpoint_id, event_id)
);
CREATE INDEX deliveries_due_idx ON webhooks.deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_endpoint_idx ON webhooks.deliveries (project_id, endpoint_id, created_at, id);
CREATE INDEX deliveries_failed_idx ON webhooks.deliveries (project_id, updated_at) WHERE status = 'failed';

CREATE TABLE webhooks.attempts (
    id            text        PRIMARY KEY,
    delivery_id   text        NOT NULL REFERENCES webhooks.deliveries (id) ON DELETE CASCADE,
    attempt       integer     NOT NULL,
    started_at    timestamptz NOT NULL,
    status_code   integer,
    response_body text,
    duration_ms   integer     NOT NULL,
    error         text
);
CREATE INDEX attempts_delivery_idx ON webhooks.attempts (delivery_id, attempt);

-- Inbound callbacks, once per sender's id: a replay is answered without effect.
CREATE TABLE webhooks.inbound (
    id           text        PRIMARY KEY,
    project_id   text        NOT NULL,
    connector_id text        NOT NULL,
    message_id   text        NOT NULL,
    body         jsonb       NOT NULL,
    effect       text,
    received_at  timestamptz NOT NULL,
    UNIQUE (connector_id, message_id)
);
CREATE INDEX inbound_project_idx ON webhooks.inbound (project_id, received_at, id);

-- The claim of the node sending a delivery: its acknowledgement counts only while the claim is still its own.
ALTER TABLE webhooks.deliveries ADD COLUMN claim text;
