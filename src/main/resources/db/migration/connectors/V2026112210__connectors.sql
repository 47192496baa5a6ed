-- Connectors: connections to external APIs with their (encrypted) credentials, external actions and their call log.
CREATE SCHEMA IF NOT EXISTS connectors;

CREATE TABLE connectors.connectors (
    id                    text        PRIMARY KEY,
    project_id            text        NOT NULL,
    name                  text        NOT NULL,
    description           text,
    base_url              text        NOT NULL,
    content_type          text        NOT NULL,
    auth_type             text        NOT NULL,
    -- The auth settings that are not secret; the secret ones are in secrets, AES-GCM encrypted JSON.
    auth                  jsonb       NOT NULL DEFAULT '{}',
    secrets               bytea,
    access_token          bytea,
    refresh_token         bytea,
    token_expires_at      timestamptz,
    authorized_at         timestamptz,
    rate_limit_per_second integer     CHECK (rate_limit_per_second > 0),
    metadata              jsonb       NOT NULL DEFAULT '{}',
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL
);
CREATE UNIQUE INDEX connectors_name_idx ON connectors.connectors (project_id, name);
CREATE INDEX connectors_created_idx ON connectors.connectors (project_id, created_at, id);

-- OAuth 2.0 authorization-code flows under way: the state (hashed) leads the callback to its connector and verifier.
CREATE TABLE connectors.authorizations (
    state_hash    text        PRIMARY KEY,
    project_id    text        NOT NULL,
    connector_id  text        NOT NULL REFERENCES connectors.connectors (id) ON DELETE CASCADE,
    code_verifier bytea       NOT NULL,
    redirect_uri  text        NOT NULL,
    expires_at    timestamptz NOT NULL
);
CREATE INDEX authorizations_connector_idx ON connectors.authorizations (connector_id);

CREATE TABLE connectors.actions (
    id                 text        PRIMARY KEY,
    project_id         text        NOT NULL,
    connector_id       text        NOT NULL REFERENCES connectors.connectors (id),
    name               text        NOT NULL,
    description        text,
    method             text        NOT NULL,
    url                text        NOT NULL,
    headers            jsonb       NOT NULL DEFAULT '{}',
    query              jsonb       NOT NULL DEFAULT '{}',
    body               text,
    outputs            jsonb       NOT NULL DEFAULT '{}',
    timeout_ms         integer     NOT NULL,
    retry              jsonb       NOT NULL,
    idempotency_header text,
    sample             jsonb       NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL
);
CREATE UNIQUE INDEX actions_name_idx ON connectors.actions (project_id, name);
CREATE INDEX actions_created_idx ON connectors.actions (project_id, created_at, id);
CREATE INDEX actions_connector_idx ON connectors.actions (connector_id);

-- Every attempt of every call, secrets masked and bodies truncated.
CREATE TABLE connectors.calls (
    id           text        PRIMARY KEY,
    project_id   text        NOT NULL,
    execution_id text        NOT NULL,
    action_id    text        NOT NULL,
    connector_id text        NOT NULL,
    origin       text        NOT NULL,
    attempt      integer     NOT NULL,
    outcome      text        NOT NULL,
    status       integer,
    error        text,
    request      jsonb       NOT NULL,
    response     jsonb,
    outputs      jsonb,
    duration_ms  integer     NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX calls_created_idx ON connectors.calls (project_id, created_at, id);
CREATE INDEX calls_action_idx ON connectors.calls (project_id, action_id, created_at, id);
CREATE INDEX calls_connector_idx ON connectors.calls (project_id, connector_id, created_at, id);
