-- The gift catalog ("touches"), sends of gifts to customers and every status change of a send.
CREATE SCHEMA IF NOT EXISTS gifts;

CREATE TABLE gifts.gifts (
    id            text        PRIMARY KEY,
    project_id    text        NOT NULL,
    name          text        NOT NULL,
    type          text        NOT NULL CHECK (type IN ('EGIFT', 'PHYSICAL')),
    cost          bigint      NOT NULL CHECK (cost >= 0),
    shipping_cost bigint      NOT NULL DEFAULT 0 CHECK (shipping_cost >= 0),
    currency      text        NOT NULL,
    face_value    bigint      CHECK (face_value >= 0),
    sku           text,
    ships_to      text[]      NOT NULL DEFAULT '{}',
    provider      text        NOT NULL,
    action_id     text,
    provider_ref  text,
    active        boolean     NOT NULL,
    image_url     text,
    description   text,
    metadata      jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL,
    updated_at    timestamptz NOT NULL
);
CREATE INDEX gifts_project_idx ON gifts.gifts (project_id, created_at, id);

CREATE TABLE gifts.sends (
    id                 text        PRIMARY KEY,
    project_id         text        NOT NULL,
    gift_id            text        NOT NULL REFERENCES gifts.gifts (id),
    gift_type          text        NOT NULL,
    customer_id        text        NOT NULL,
    sender_id          text,
    budget_id          text        NOT NULL,
    campaign           text,
    message            text,
    confirm_address    boolean     NOT NULL,
    address            jsonb,
    status             text        NOT NULL,
    cost               bigint      NOT NULL,
    currency           text        NOT NULL,
    -- What the budget has of this send: none (pending), held, captured, released or refunded.
    funds              text        NOT NULL,
    provider           text        NOT NULL,
    provider_reference text,
    -- Handing the send to its provider: due at dispatch_at (set when it is funded; a node that takes it moves it a
    -- lease ahead, so that another node retries after a crash; a failure moves it a backoff ahead), until it is
    -- dispatched_at.
    dispatch_at        timestamptz,
    dispatched_at      timestamptz,
    dispatch_attempts  integer     NOT NULL DEFAULT 0,
    dispatch_error     text,
    expires_at         timestamptz,
    metadata           jsonb       NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE INDEX sends_project_idx ON gifts.sends (project_id, created_at, id);
CREATE INDEX sends_status_idx ON gifts.sends (project_id, status, created_at, id);
CREATE INDEX sends_customer_idx ON gifts.sends (project_id, customer_id, created_at, id);
CREATE INDEX sends_dispatch_idx ON gifts.sends (dispatch_at) WHERE dispatch_at IS NOT NULL;
-- The sandbox provider's walk: its dispatched sends that can still move on, by when they last moved.
CREATE INDEX sends_sandbox_idx ON gifts.sends (updated_at)
    WHERE provider = 'sandbox' AND dispatched_at IS NOT NULL
        AND status IN ('created', 'approved', 'clicked', 'address_confirmed', 'processed', 'shipped');
CREATE INDEX sends_expiry_idx ON gifts.sends (expires_at)
    WHERE status IN ('created', 'approved', 'clicked') AND expires_at IS NOT NULL;

CREATE TABLE gifts.transitions (
    id                text        PRIMARY KEY,
    project_id        text        NOT NULL,
    send_id           text        NOT NULL REFERENCES gifts.sends (id),
    from_status       text,
    to_status         text        NOT NULL,
    actor             text        NOT NULL,
    provider_event_id text,
    reason            text,
    details           jsonb       NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL
);
CREATE INDEX transitions_send_idx ON gifts.transitions (send_id, created_at, id);

-- A provider's status update is applied once, however often it is delivered.
CREATE TABLE gifts.provider_events (
    project_id        text        NOT NULL,
    send_id           text        NOT NULL REFERENCES gifts.sends (id),
    provider_event_id text        NOT NULL,
    status            text        NOT NULL,
    received_at       timestamptz NOT NULL,
    PRIMARY KEY (project_id, send_id, provider_event_id)
);
