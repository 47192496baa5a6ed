-- The event stream: every project event once, in order, for the pull feed and webhook fan-out.
CREATE SCHEMA IF NOT EXISTS webhooks;

CREATE TABLE webhooks.events (
    seq        bigint      GENERATED ALWAYS AS IDENTITY,
    id         text        PRIMARY KEY,
    project_id text        NOT NULL,
    type       text        NOT NULL,
    created_at timestamptz NOT NULL,
    envelope   json        NOT NULL
);
CREATE UNIQUE INDEX events_project_seq_idx ON webhooks.events (project_id, seq);
CREATE INDEX events_project_type_idx ON webhooks.events (project_id, type, seq);
