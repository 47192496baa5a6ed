-- Long-running jobs (imports, generation) with their progress, and the files they read.
CREATE TABLE shared.async_actions (
    id           text        PRIMARY KEY,
    project_id   text        NOT NULL,
    type         text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('ENQUEUED', 'IN_PROGRESS', 'DONE', 'FAILED')),
    progress     int         NOT NULL DEFAULT 0,
    rows_done    bigint      NOT NULL DEFAULT 0,
    rows_failed  bigint      NOT NULL DEFAULT 0,
    result       jsonb       NOT NULL DEFAULT '{}',
    request_id   text,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    started_at   timestamptz,
    finished_at  timestamptz
);
CREATE INDEX async_actions_project_idx ON shared.async_actions (project_id, created_at DESC, id DESC);

-- Uploaded files, in chunks, so that whichever node runs a job can read them.
CREATE TABLE shared.upload_chunks (
    upload_id  text  NOT NULL,
    chunk      int   NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (upload_id, chunk)
);
